#!/usr/bin/env python3
"""Peer for bench/features.ts: the real librosa 0.10.2 (../shared/reference/librosa-env.sh makes
it importable with Debian's numpy/scipy/numba; its soxr is a stub, so resampling uses the
resampy ("kaiser_best") and scipy ("polyphase") paths), timed on the same files and settings.

  PYTHONPATH=$(bash ../shared/reference/librosa-env.sh) /usr/bin/python3 bench/mfcc_librosa.py FILE_LIST REPEAT
Prints one JSON object per figure, like mfcc_numpy.py.
"""
import json
import os
import sys

import librosa
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packages", "core", "test", "fixtures"))
from make_reference import read_pcm16_mono  # noqa: E402
from mfcc_numpy import best  # noqa: E402  (the same timing as the numpy peer: one warm-up, best of N)


def main():
    paths = [p for p in open(sys.argv[1]).read().splitlines() if p]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    signals = [read_pcm16_mono(p)[1].astype(np.float32) for p in paths]
    seconds = sum(len(y) for y in signals) / 48000.0
    mfcc48 = lambda y: librosa.feature.mfcc(y=y, sr=48000, n_mfcc=40, n_fft=2048, hop_length=512, n_mels=128)
    t = best(lambda: [mfcc48(y) for y in signals], repeat)
    print(json.dumps({"figure": "mfcc48", "audioSecondsPerSecond": seconds / t, "peer": f"librosa {librosa.__version__}"}))
    for res_type in ("polyphase", "kaiser_best"):
        t = best(lambda: [librosa.resample(y, orig_sr=48000, target_sr=16000, res_type=res_type) for y in signals], repeat)
        print(json.dumps({"figure": f"resample-{res_type}", "audioSecondsPerSecond": seconds / t, "peer": f"librosa.resample {res_type}"}))
    low = [librosa.resample(y, orig_sr=48000, target_sr=16000, res_type="polyphase") for y in signals]
    mfcc16 = lambda y: librosa.feature.mfcc(y=y, sr=16000, n_mfcc=40, n_fft=512, hop_length=160, n_mels=64)
    t = best(lambda: [mfcc16(y) for y in low], repeat)
    print(json.dumps({"figure": "mfcc16", "audioSecondsPerSecond": seconds / t, "peer": f"librosa {librosa.__version__}"}))


if __name__ == "__main__":
    main()
