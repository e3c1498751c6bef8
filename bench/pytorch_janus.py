#!/usr/bin/env python3
"""PyTorch + transformers timings of Janus-Pro-1B-shaped work, for bench/compare.py.

Random weights at the real shapes (no download): transformers' JanusForConditionalGeneration
built from a config. Each row mirrors one `janus bench` measurement, same threads, and
prints its median in seconds as JSON:

    python bench/pytorch_janus.py --dtype bf16 --threads 2 --rows decode2 prefill

Needs only PyPI packages: torch (CPU) and transformers >= 4.57.
"""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import JanusConfig, JanusForConditionalGeneration
from transformers.cache_utils import DynamicCache

ROWS = ["decode2", "decode32", "prefill", "text_decode", "siglip", "vq384", "vq1024"]
CONTEXT = 600


def janus_pro_1b_config():
    """deepseek-ai/Janus-Pro-1B's shapes, as in its config.json."""
    return JanusConfig(
        text_config=dict(model_type="llama", hidden_size=2048, intermediate_size=5632, num_hidden_layers=24,
                         num_attention_heads=16, num_key_value_heads=16, vocab_size=102400,
                         max_position_embeddings=16384, rms_norm_eps=1e-6, torch_dtype="bfloat16"),
        vision_config=dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, image_size=384,
                           patch_size=16, mlp_ratio=4.0, projection_dim=2048, depth=2),
        vq_config=dict(embed_dim=8, num_embeddings=16384, base_channels=128, channel_multiplier=[1, 1, 2, 2, 4],
                       num_res_blocks=2, projection_dim=2048, image_token_embed_dim=2048, num_patches=24),
    )


def measure(body, repetitions, warmup=1):
    for _ in range(warmup):
        body()
    runs = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def filled_cache(model, rows, dtype):
    """A KV cache already holding CONTEXT random positions per row (no prefill to time)."""
    text = model.config.text_config
    head_dim = text.hidden_size // text.num_attention_heads
    cache = DynamicCache()
    for layer in range(text.num_hidden_layers):
        shape = (rows, text.num_key_value_heads, CONTEXT, head_dim)
        cache.update(torch.randn(shape, dtype=dtype), torch.randn(shape, dtype=dtype), layer)
    return cache


def decode_step(model, rows, dtype, head):
    """One decode step over `rows` rows at context CONTEXT, the cache cut back after each."""
    lm = model.model.language_model
    cache = filled_cache(model, rows, dtype)
    embeds = torch.randn(rows, 1, model.config.text_config.hidden_size, dtype=dtype)
    positions = torch.full((rows, 1), CONTEXT, dtype=torch.long)

    def step():
        hidden = lm(inputs_embeds=embeds, past_key_values=cache, position_ids=positions, use_cache=True).last_hidden_state
        head(hidden[:, -1])
        cache.crop(-1)  # back to CONTEXT positions (a negative count: the form every version accepts)

    return step


def vq_decode(model, side):
    vq = model.model.vqmodel
    vq.quantize.quant_state_dims = [side, side]  # the grid the codes are reshaped to
    codes = (torch.arange(side * side) * 7919 % model.config.vq_config.num_embeddings).unsqueeze(0)
    return lambda: vq.decode(codes)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dtype", choices=["f32", "bf16"], default="bf16")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=ROWS)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    built = time.perf_counter()
    model = JanusForConditionalGeneration(janus_pro_1b_config()).to(dtype).eval()
    built = time.perf_counter() - built
    gen_head = model.model.generation_head if hasattr(model.model, "generation_head") else model.generation_head
    lm_head = model.lm_head

    results = {}
    with torch.inference_mode():
        for row in args.rows:
            if row in ("decode2", "decode32"):
                rows = 2 if row == "decode2" else 32
                results[row] = measure(decode_step(model, rows, dtype, gen_head), args.repetitions)
            elif row == "text_decode":
                results[row] = measure(decode_step(model, 1, dtype, lm_head), args.repetitions)
            elif row == "prefill":
                embeds = torch.randn(1, CONTEXT, model.config.text_config.hidden_size, dtype=dtype)
                lm = model.model.language_model
                results[row] = measure(lambda: lm_head(lm(inputs_embeds=embeds, use_cache=True).last_hidden_state[:, -1]),
                                       args.repetitions)
            elif row == "siglip":
                pixels = torch.rand(1, 3, 384, 384, dtype=dtype) * 2 - 1
                results[row] = measure(lambda: model.model.get_image_features(pixels), args.repetitions)
            elif row in ("vq384", "vq1024"):
                side = 24 if row == "vq384" else 64
                results[row] = measure(vq_decode(model, side), 1 if side == 64 else args.repetitions,
                                       warmup=0 if side == 64 else 1)
    print(json.dumps({
        "dtype": args.dtype, "threads": args.threads, "model_build_s": built,
        "torch": torch.__version__, "median_s": results,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
