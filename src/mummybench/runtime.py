"""What a trial's numbers depend on beyond its inputs: the instruction set the numeric libraries
dispatch to, and the thread count.

The same float code gives different last bits on AVX2 and AVX-512 kernels, and a chaotic setting
(training that diverges) turns last bits into different results. So, on x86-64, every process that
runs trials asks numpy, OpenBLAS, torch and faiss for their AVX2 code paths ("portable", the default),
which every x86-64 machine of the last decade has: results then reproduce across AVX2 and AVX-512
machines. `MUMMYBENCH_ISA=native` lets each library choose. Variables the user set are left alone.
The libraries read these variables when they load, so they take effect in worker processes and in a
CLI process that sets them before numpy is imported; `fingerprint()` records what was actually used.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import MutableMapping
from functools import lru_cache
from pathlib import Path
from typing import Any

ISA_VAR = "MUMMYBENCH_ISA"
PORTABLE = {
    "OPENBLAS_CORETYPE": "Haswell",  # OpenBLAS's AVX2 kernels (numpy's and faiss's copies)
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512F AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR",
    "ATEN_CPU_CAPABILITY": "avx2",  # torch
    "FAISS_SIMD_LEVEL": "AVX2",  # faiss >= 1.12 (dynamic dispatch)
    "FAISS_OPT_LEVEL": "avx2",  # older faiss wheels with one module per level
}


@lru_cache(maxsize=1)
def _cpu_flags() -> frozenset[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


@lru_cache(maxsize=1)
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def isa_mode() -> str:
    """'portable' (AVX2 paths pinned) or 'native'; portable needs an x86-64 CPU with AVX2 and FMA."""
    if os.environ.get(ISA_VAR, "portable").lower() == "native":
        return "native"
    if platform.machine().lower() not in ("x86_64", "amd64") or not {"avx2", "fma"} <= _cpu_flags():
        return "native"
    return "portable"


def pin_isa(env: MutableMapping[str, str] | None = None) -> str:
    """Ask for the portable code paths in `env` (default os.environ) unless the mode is native; returns the mode."""
    env = os.environ if env is None else env
    mode = isa_mode()
    if mode == "portable":
        for var, value in PORTABLE.items():
            env.setdefault(var, value)
    return mode


_CACHE: dict[tuple[str, ...], dict[str, Any]] = {}


def fingerprint() -> dict[str, Any]:
    """The instruction sets the loaded numeric libraries dispatch to, the thread count, the CPU and
    platform: recorded with every trial. Cached per set of loaded libraries."""
    loaded = tuple(m for m in ("numpy", "torch", "faiss") if m in sys.modules)
    threads = int(os.environ.get("MUMMYBENCH_THREADS", "0")) or None
    if loaded in _CACHE:
        return {**_CACHE[loaded], "threads": threads}
    flags = _cpu_flags()
    top = next((f for f in ("avx512f", "avx2", "avx", "sse4_2") if f in flags), platform.machine())
    out: dict[str, Any] = {"cpu": cpu_model(), "machine": platform.machine(), "cpu_top_isa": top, "isa_mode": isa_mode(),
                           "platform": platform.platform()}
    try:
        from threadpoolctl import threadpool_info

        out["blas"] = sorted({f"{i.get('internal_api')} {i.get('architecture')}" for i in threadpool_info()
                              if i.get("user_api") == "blas"})
    except Exception:  # noqa: BLE001 - a fingerprint never fails a trial
        pass
    if "numpy" in sys.modules:
        try:
            from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

            out["numpy_dispatch"] = [t for t in __cpu_dispatch__ if __cpu_features__.get(t)]
        except Exception:  # noqa: BLE001
            pass
    if "torch" in sys.modules:
        try:
            out["torch_cpu_capability"] = sys.modules["torch"].backends.cpu.get_cpu_capability()
        except Exception:  # noqa: BLE001
            pass
    if "faiss" in sys.modules:
        try:
            out["faiss_simd"] = sys.modules["faiss"].SIMDConfig.get_level_name()
        except Exception:  # noqa: BLE001
            pass
    if out["isa_mode"] == "portable" and _wider_than_avx2(out):
        out["isa_mode"] = "asked portable, ran native (a library loaded before mummybench)"
    _CACHE[loaded] = out
    return {**out, "threads": threads}


def _wider_than_avx2(found: dict[str, Any]) -> bool:
    """Whether a library dispatched past AVX2 although the portable paths were asked for (it loaded first)."""
    wide = [*found.get("numpy_dispatch", []), str(found.get("torch_cpu_capability", "")), str(found.get("faiss_simd", ""))]
    return any("512" in w or w == "X86_V4" for w in wide) or any("SkylakeX" in b or "Cooperlake" in b or "Sapphire" in b
                                                                for b in found.get("blas", []))

