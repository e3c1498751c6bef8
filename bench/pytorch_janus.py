#!/usr/bin/env python3
"""PyTorch + transformers timings of Janus-Pro-1B-shaped work, for bench/compare.py.

Random weights at the real shapes (no download): transformers' JanusForConditionalGeneration
built from a config. Each row mirrors one `janus bench` measurement, same threads, and
prints its median in seconds as JSON:

    python bench/pytorch_janus.py --dtype bf16 --threads 2 --rows decode2 prefill

With --full-image it also times one whole image (`janus bench generate --parts image`):
the prompt prefill of a conditional and an unconditional row, 576 image tokens with CFG and
sampling in the loop of the reference's generation_inference.py, and the VQ-16 decode to 384px,
once (a few minutes at Janus-Pro-1B shapes). --shape tiny runs everything at the shapes of
`janus bench --shape tiny`, in seconds, to check the script itself.

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
# The reference's example prompt through janus's template and bundled tokenizer (what
# `janus bench generate --parts image` reports as prompt_tokens; compare.py passes that).
IMAGE_PROMPT_TOKENS = 93
IMAGE_SIDE = 24  # tokens per side: 576 image tokens, 384px
CFG_WEIGHT = 5.0


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


def tiny_config():
    """The shapes of `janus bench --shape tiny` (the golden test checkpoint), for checking this script."""
    return JanusConfig(
        text_config=dict(model_type="llama", hidden_size=64, intermediate_size=176, num_hidden_layers=3,
                         num_attention_heads=4, num_key_value_heads=4, vocab_size=3072,
                         max_position_embeddings=16384, rms_norm_eps=1e-6, torch_dtype="bfloat16"),
        vision_config=dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, image_size=96,
                           patch_size=16, mlp_ratio=4.0, projection_dim=64, depth=2),
        vq_config=dict(embed_dim=8, num_embeddings=512, base_channels=32, channel_multiplier=[1, 1, 2, 2, 4],
                       num_res_blocks=2, latent_channels=32, projection_dim=64, image_token_embed_dim=64,
                       num_patches=24),
    )


SHAPES = {"janus-pro-1b": janus_pro_1b_config, "tiny": tiny_config}


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


def full_image(model, prompt_tokens, temperature=1.0):
    """One image as generation_inference.py makes it: the prompt and its unconditional twin
    (every token but the first and the last replaced by the pad id) prefilled as two rows,
    then IMAGE_SIDE² steps of one token per row with CFG and multinomial sampling, then the
    VQ-16 decode and the conversion to 8-bit pixels. Returns seconds per stage."""
    text = model.config.text_config
    ids = torch.randint(4, text.vocab_size, (prompt_tokens,))
    ids[0] = 0  # BOS; the last id stands for <begin_of_image>
    rows = ids.repeat(2, 1)
    rows[1, 1:-1] = 1  # the pad id (any id: the weights are random)
    lm = model.model.language_model
    head = model.model.generation_head
    model.model.vqmodel.quantize.quant_state_dims = [IMAGE_SIDE, IMAGE_SIDE]

    start = time.perf_counter()
    cache = DynamicCache()
    embeds = model.get_input_embeddings()(rows)
    tokens = torch.zeros(1, IMAGE_SIDE * IMAGE_SIDE, dtype=torch.long)
    for step in range(IMAGE_SIDE * IMAGE_SIDE):
        hidden = lm(inputs_embeds=embeds, past_key_values=cache, use_cache=True).last_hidden_state
        logits = head(hidden[:, -1, :])
        cond, uncond = logits[0::2, :], logits[1::2, :]
        probs = torch.softmax((uncond + CFG_WEIGHT * (cond - uncond)) / temperature, dim=-1)
        token = torch.multinomial(probs, num_samples=1)
        tokens[:, step] = token.squeeze(-1)
        embeds = model.prepare_embeddings_for_image_generation(torch.cat([token, token]).view(-1)).unsqueeze(1)
        if step == 0:
            prefilled = time.perf_counter()
    sampled = time.perf_counter()
    pixels = model.decode_image_tokens(tokens).float()
    ((pixels + 1) / 2 * 255).clamp(0, 255).to(torch.uint8)
    end = time.perf_counter()
    return {"total_s": end - start, "prefill_s": prefilled - start,
            "decode_step_s": (sampled - prefilled) / (IMAGE_SIDE * IMAGE_SIDE - 1), "vq_decode_s": end - sampled}


def status_bytes(field):
    """A `VmRSS:`-style field of /proc/self/status in bytes (None off Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def peak_above_start(run):
    """Runs `run()` and returns its result and the process's peak RSS above the RSS it
    started from (the peak mark reset first, as `janus bench` does), or None off Linux."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return run(), None
    start = status_bytes("VmRSS:")
    result = run()
    peak = status_bytes("VmHWM:")
    return result, (peak - start if peak is not None and start is not None else None)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dtype", choices=["f32", "bf16"], default="bf16")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--rows", nargs="*", choices=ROWS, default=ROWS)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="janus-pro-1b")
    parser.add_argument("--full-image", action="store_true",
                        help="also time one whole 384px image with CFG (row \"image\", run once)")
    parser.add_argument("--image-prompt-tokens", type=int, default=IMAGE_PROMPT_TOKENS)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    built = time.perf_counter()
    model = JanusForConditionalGeneration(SHAPES[args.shape]()).to(dtype).eval()
    built = time.perf_counter() - built
    gen_head = model.model.generation_head if hasattr(model.model, "generation_head") else model.generation_head
    lm_head = model.lm_head

    results = {}
    above_start = {}
    image = None
    with torch.inference_mode():
        if args.full_image:
            image = full_image(model, args.image_prompt_tokens)
            results["image"] = image["total_s"]
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
                results[row], above = peak_above_start(
                    lambda: measure(vq_decode(model, side), 1 if side == 64 else args.repetitions,
                                    warmup=0 if side == 64 else 1))
                if above is not None:
                    above_start[row] = above
    report = {
        "dtype": args.dtype, "threads": args.threads, "shape": args.shape, "model_build_s": built,
        "torch": torch.__version__, "median_s": results,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "peak_rss_above_start_bytes": above_start,
    }
    if image is not None:
        report["image"] = dict(image, prompt_tokens=args.image_prompt_tokens, image_tokens=IMAGE_SIDE * IMAGE_SIDE)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
