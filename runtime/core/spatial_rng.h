/* Counter-based random streams for permutation tests: stream p of seed s
 * depends on (s, p) alone, so a permutation is the same whichever thread
 * draws it. SplitMix64 (Steele, Lea and Flood 2014) and Lemire's unbiased
 * bounded integers (2019). */
#ifndef CB_SPATIAL_RNG_H
#define CB_SPATIAL_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t s;
} cb_rng;

static inline uint64_t cb_rng_next(cb_rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Stream `p` of seed `seed`: the seed and the stream number are mixed
 * through one SplitMix64 step each, so nearby streams are unrelated. */
static inline cb_rng cb_rng_stream(uint64_t seed, uint64_t p) {
  cb_rng a = {seed}, r;
  r.s = cb_rng_next(&a) ^ (p * 0xD1B54A32D192ED03ull);
  cb_rng_next(&r);
  return r;
}

/* A uniform integer in [0, m), m >= 1, without modulo bias. */
static inline uint64_t cb_rng_below(cb_rng *r, uint64_t m) {
  __extension__ typedef unsigned __int128 u128;
  u128 x = (u128)cb_rng_next(r) * m;
  uint64_t lo = (uint64_t)x;
  if (lo < m) {
    uint64_t t = -m % m;
    while (lo < t) {
      x = (u128)cb_rng_next(r) * m;
      lo = (uint64_t)x;
    }
  }
  return (uint64_t)(x >> 64);
}

#endif
