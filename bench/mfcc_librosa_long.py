#!/usr/bin/env python3
"""Peer for bench/features-cli.ts: librosa 0.10.2 on one long WAV, as a user runs it in Python:
librosa.load(path, sr=None) (soundfile) then librosa.feature.mfcc(n_mfcc=40) at the file's rate,
each timed (best of REPEAT after one warm-up, one BLAS thread).

  PYTHONPATH=$(bash ../shared/reference/librosa-env.sh) /usr/bin/python3 bench/mfcc_librosa_long.py FILE REPEAT
Prints one JSON object: audio seconds, load and mfcc seconds.
"""
import json
import os
import sys

import librosa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mfcc_numpy import best  # noqa: E402


def main():
    path, repeat = sys.argv[1], int(sys.argv[2])
    y, sr = librosa.load(path, sr=None)
    t_load = best(lambda: librosa.load(path, sr=None), repeat)
    t_mfcc = best(lambda: librosa.feature.mfcc(y=y, sr=sr, n_mfcc=40, n_fft=2048, hop_length=512, n_mels=128), repeat)
    print(json.dumps({"audioSeconds": len(y) / sr, "loadSeconds": t_load, "mfccSeconds": t_mfcc, "peer": f"librosa {librosa.__version__}"}))


if __name__ == "__main__":
    main()
