#!/usr/bin/env python3
"""Peer for bench/features.ts: librosa 0.10's MFCC pipeline written with numpy/scipy.

librosa itself is not installable on these machines (no PyPI), so this script follows its code
path step by step: float32 input, centered zero-padded frames taken with stride tricks, periodic
Hann window, numpy.fft.rfft over blocks of frames sized to librosa's MAX_MEM_BLOCK (256 KiB),
complex64 output, |S|^2, mel matrix product (BLAS), power_to_db, scipy.fft.dct(type 2, ortho).
Time is what numpy's pocketfft and the BLAS take, which is where librosa spends it too.

  /usr/bin/python3 bench/mfcc_numpy.py FILE_LIST REPEAT
FILE_LIST holds one WAV path per line (16-bit PCM). Prints one JSON object per configuration.
"""
import json
import os
import sys
import time

import numpy as np
import scipy.fft
import scipy.signal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packages", "core", "test", "fixtures"))
from make_reference import mel_filters, read_pcm16_mono  # noqa: E402

MAX_MEM_BLOCK = 2**8 * 2**10


def make_mfcc(sr, n_fft, hop, n_mels, n_mfcc):
    window = scipy.signal.get_window("hann", n_fft, fftbins=True).astype(np.float32).reshape(-1, 1)
    mel = mel_filters(sr, n_fft, n_mels).astype(np.float32)

    def mfcc(y):
        y = np.pad(y, (n_fft // 2, n_fft // 2), mode="constant")
        n_frames = 1 + (len(y) - n_fft) // hop
        frames = np.lib.stride_tricks.as_strided(y, shape=(n_fft, n_frames), strides=(y.itemsize, hop * y.itemsize))
        S = np.empty((1 + n_fft // 2, n_frames), dtype=np.complex64)
        n_columns = max(1, MAX_MEM_BLOCK // (S.shape[0] * S.itemsize))
        for bl in range(0, n_frames, n_columns):
            br = min(bl + n_columns, n_frames)
            S[:, bl:br] = np.fft.rfft(window * frames[:, bl:br], axis=0)
        P = np.abs(S) ** 2
        M = mel @ P
        log_spec = 10.0 * np.log10(np.maximum(1e-10, M))
        log_spec = np.maximum(log_spec, log_spec.max() - 80.0)
        return scipy.fft.dct(log_spec, axis=0, type=2, norm="ortho")[:n_mfcc]

    return mfcc


def resample_poly(y, up, down):
    return scipy.signal.resample_poly(y, up, down).astype(np.float32)


def best(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    paths = [p for p in open(sys.argv[1]).read().splitlines() if p]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    signals = []
    for p in paths:
        sr, y = read_pcm16_mono(p)
        signals.append(y.astype(np.float32))
    seconds = sum(len(y) for y in signals) / 48000.0
    m48 = make_mfcc(48000, 2048, 512, 128, 40)
    t = best(lambda: [m48(y) for y in signals], repeat)
    print(json.dumps({"figure": "mfcc48", "audioSecondsPerSecond": seconds / t}))
    t = best(lambda: [resample_poly(y, 1, 3) for y in signals], repeat)
    print(json.dumps({"figure": "resample", "audioSecondsPerSecond": seconds / t, "peer": "scipy.signal.resample_poly"}))
    low = [resample_poly(y, 1, 3) for y in signals]
    m16 = make_mfcc(16000, 512, 160, 64, 40)
    t = best(lambda: [m16(y) for y in low], repeat)
    print(json.dumps({"figure": "mfcc16", "audioSecondsPerSecond": seconds / t}))

    def ingest():
        for p in paths:
            _, y = read_pcm16_mono(p)
            m16(resample_poly(y, 1, 3))

    t = best(ingest, repeat)
    print(json.dumps({"figure": "ingest", "audioSecondsPerSecond": seconds / t}))


if __name__ == "__main__":
    main()
