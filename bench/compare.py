#!/usr/bin/env python3
"""Side-by-side: `janus bench` and bench/pytorch_janus.py, run alternately on one machine.

Each round runs every janus mode and every PyTorch dtype once, in turn, so drift
(thermal, other load) hits both alike; the table shows medians over the rounds and
PyTorch's time divided by janus's (> 1: janus is faster).

    python3 bench/compare.py --janus .build-release/release/janus --rounds 3 --threads 2 \\
        --janus-modes bf16:stored bf16:int8 --torch-dtypes f32 bf16

--full-image adds a row for one whole image (`janus bench generate --parts image`, and the
same job in PyTorch: prompt prefill, 576 image tokens with CFG, VQ decode), timed once per
round: a few minutes of both sides at Janus-Pro-1B shapes. Below the table it prints the
janus peak RSS of that image beside the bytes of the weights it reads.

Needs torch (CPU) and transformers >= 4.57 from PyPI for the PyTorch side.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROWS = [
    ("decode2", "CFG decode step, 2 rows, ctx 600", "s"),
    ("decode32", "decode step, 32 rows, ctx 600", "s"),
    ("prefill", "prefill 600 tokens, 1 row", "s"),
    ("text_decode", "text decode, 1 row, ctx ~600", "tok/s"),
    ("siglip", "SigLIP-L/16-384 + aligner, 1 image", "s"),
    ("vq384", "VQ-16 decode 24x24 -> 384px", "s"),
    ("vq1024", "VQ-16 decode 64x64 -> 1024px", "s"),
]
IMAGE_ROW = ("image", "full 576-token CFG generation, 1 image", "s")


def run_json(command):
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def janus_rows(binary, threads, mode, repetitions, full_image=False):
    """One round of every row through `janus bench` in `mode` ("compute:weights", or
    "compute:weights:kv_cache"), and the `image` report of `bench generate --parts image`
    when `full_image` (else None)."""
    fields = mode.split(":")
    if len(fields) not in (2, 3):
        raise SystemExit(f"janus mode {mode!r}: expected compute:weights or compute:weights:kv-cache")
    compute, weights = fields[:2]
    common = ["--threads", str(threads), "--compute", compute, "--weights", weights, "--json"]
    if len(fields) == 3:
        common += ["--kv-cache", fields[2]]
    generate = [binary, "bench", "generate", "--context", "600", "--repetitions", str(repetitions)]
    medians = {}
    image = None
    if full_image:
        report = run_json([binary, "bench", "generate", "--parts", "image", "--repetitions", "1"] + common)
        medians["image"], image = report["timings"][0]["median_s"], report["image"]
    for rows, key in ((2, "decode2"), (32, "decode32")):
        report = run_json(generate + ["--rows", str(rows), "--parts", "decode"] + common)
        medians[key] = report["timings"][0]["median_s"]
        if rows == 2 and report.get("decode_floor"):
            medians["decode2_floor"] = report["decode_floor"]
    report = run_json(generate + ["--parts", "vq384", "vq1024"] + common)
    medians["vq384"], medians["vq1024"] = (t["median_s"] for t in report["timings"])
    if "vq1024" in report.get("peak_rss_above_start_bytes", {}):
        medians["vq1024_working_bytes"] = report["peak_rss_above_start_bytes"]["vq1024"]
    report = run_json([binary, "bench", "understand", "--prompt-tokens", "600", "--new-tokens", "16",
                       "--repetitions", str(repetitions)] + common)
    medians["siglip"], medians["prefill"], medians["text_decode"] = (t["median_s"] for t in report["timings"])
    return medians, image


def torch_rows(python, threads, dtype, repetitions, image_prompt_tokens=None):
    """One round of every row in PyTorch; with `image_prompt_tokens`, the whole image too."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch_janus.py")
    command = [python, script, "--dtype", dtype, "--threads", str(threads), "--repetitions", str(repetitions)]
    if image_prompt_tokens is not None:
        command += ["--full-image", "--image-prompt-tokens", str(image_prompt_tokens)]
    report = run_json(command)
    medians = dict(report["median_s"])
    if "vq1024" in report.get("peak_rss_above_start_bytes", {}):
        medians["vq1024_working_bytes"] = report["peak_rss_above_start_bytes"]["vq1024"]
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--janus", default=".build-release/release/janus", help="the janus binary (a release build)")
    parser.add_argument("--python", default=sys.executable, help="the Python with torch and transformers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repetitions", type=int, default=3, help="measured repetitions inside each run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--janus-modes", nargs="+", default=["f32:stored", "bf16:stored", "bf16:int8"])
    parser.add_argument("--torch-dtypes", nargs="+", default=["f32", "bf16"])
    parser.add_argument("--full-image", action="store_true",
                        help="add the row of one whole 384px image with CFG (minutes per run)")
    parser.add_argument("--json", action="store_true", help="also print every run as JSON")
    args = parser.parse_args()

    columns = [f"janus {m}" for m in args.janus_modes] + [f"PyTorch {d}" for d in args.torch_dtypes]
    runs = {column: [] for column in columns}
    images = {mode: [] for mode in args.janus_modes}  # janus's `image` reports, for the memory lines
    # PyTorch gets as many prompt tokens as janus's tokenizer made of the prompt.
    prompt_tokens = None
    for round_index in range(args.rounds):
        for mode in args.janus_modes:
            medians, image = janus_rows(args.janus, args.threads, mode, args.repetitions, args.full_image)
            runs[f"janus {mode}"].append(medians)
            if image is not None:
                images[mode].append(image)
                prompt_tokens = image["prompt_tokens"]
            print(f"round {round_index + 1}: janus {mode} done", file=sys.stderr)
        for dtype in args.torch_dtypes:
            runs[f"PyTorch {dtype}"].append(torch_rows(args.python, args.threads, dtype, args.repetitions,
                                                       prompt_tokens if args.full_image else None))
            print(f"round {round_index + 1}: PyTorch {dtype} done", file=sys.stderr)
    if args.json:
        print(json.dumps({"runs": runs, "janus_images": images} if args.full_image else runs, indent=1))

    def median(column, key):
        values = [run[key] for run in runs[column] if key in run]
        return statistics.median(values) if values else None

    def shown(seconds, unit):
        if seconds is None:
            return "—"
        return f"{1 / seconds:.2f} tok/s" if unit == "tok/s" else f"{seconds:.3f} s"

    reference = next((c for c in columns if c.startswith("PyTorch bf16")), columns[-1])
    ratio_columns = [c for c in columns if c.startswith("janus")]
    header = ["work"] + columns + [f"{reference} / {c}" for c in ratio_columns]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key, title, unit in ROWS + ([IMAGE_ROW] if args.full_image else []):
        cells = [shown(median(c, key), unit) for c in columns]
        base = median(reference, key)
        for column in ratio_columns:
            value = median(column, key)
            cells.append(f"{base / value:.2f}x" if base and value else "—")
        print("| " + " | ".join([title] + cells) + " |")
    print(f"\n{args.rounds} rounds, {args.threads} threads, medians; ratio > 1: janus is faster.")
    for mode in args.janus_modes:
        floors = [run["decode2_floor"] for run in runs[f"janus {mode}"] if "decode2_floor" in run]
        if floors:
            rate = statistics.median(f["read_bytes_per_s"] for f in floors)
            slowest = min(f["slowest_read_bytes_per_s"] for f in floors)
            fastest = max(f["fastest_read_bytes_per_s"] for f in floors)
            print(f"janus {mode}, CFG decode step: between its steps the host read {rate / 1e9:.1f} GB/s "
                  f"({slowest / 1e9:.1f}-{fastest / 1e9:.1f}); floor "
                  f"{statistics.median(f['floor_s'] for f in floors) * 1e3:.1f} ms (weights) / "
                  f"{statistics.median(f['floor_with_cache_s'] for f in floors) * 1e3:.1f} ms (weights + KV caches); "
                  f"step at {statistics.median(f['efficiency'] for f in floors) * 100:.0f}% / "
                  f"{statistics.median(f['efficiency_with_cache'] for f in floors) * 100:.0f}% of it")
    working = [(c, median(c, "vq1024_working_bytes")) for c in columns]
    if any(value is not None for _, value in working):
        print("VQ-16 decode -> 1024px, peak RSS above the process's at its start (the decode's working memory): "
              + ", ".join(f"{c} {value / 2**30:.2f} GiB" for c, value in working if value is not None))
    for mode, reports in images.items():
        if reports:
            image = sorted(reports, key=lambda r: r["peak_rss_bytes"])[len(reports) // 2]
            print(f"janus {mode}, whole image: peak RSS {image['peak_rss_bytes'] / 2**30:.2f} GiB = "
                  f"{image['peak_rss_per_weight_byte']:.3f} x the weights in use ({image['weight_bytes'] / 2**30:.2f} GiB), "
                  f"{image['s_per_image_token']:.3f} s per image token, {image['prompt_tokens']} prompt tokens")


if __name__ == "__main__":
    main()
