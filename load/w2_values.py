#!/usr/bin/python3
# W2 values exactly as shared/bench/gen_w1.py --hosts 200 --rounds 720 makes them (same model, same RNG sequence),
# written round-major as little-endian float64, for W2CodecSizeMeasurement --values FILE. Usage: w2_values.py OUT
import random, array, sys
HOSTS, METRICS, ROUNDS = 200, 100, 720
NSER = HOSTS * METRICS
rng = random.Random(42)
val=[0.0]*NSER; sig=[0.0]*NSER; lo=[0.0]*NSER; hi=[0.0]*NSER
for s in range(NSER):
    kind = (s % METRICS) % 5
    if kind == 0: val[s], sig[s], lo[s], hi[s] = rng.uniform(5, 95), 0.8, 0.0, 100.0
    elif kind == 1: val[s], sig[s], lo[s], hi[s] = rng.uniform(0.1, 8), 0.05, 0.0, 64.0
    elif kind == 2: val[s], sig[s], lo[s], hi[s] = rng.uniform(1, 400), 3.0, 0.1, 1e5
    elif kind == 3: val[s], sig[s], lo[s], hi[s] = rng.uniform(1e8, 3e10), 2e6, 0.0, 1e12
    else: val[s], sig[s], lo[s], hi[s] = float(rng.randint(1, 500)), 0.3, 0.0, 1e6
gauss = rng.gauss
with open(sys.argv[1], "wb") as f:
    for r in range(ROUNDS):
        for s in range(NSER):
            v = val[s] + gauss(0.0, sig[s])
            if v < lo[s]: v = lo[s]
            elif v > hi[s]: v = hi[s]
            val[s] = v
        array.array("d", [round(v, 2) for v in val]).tofile(f)
