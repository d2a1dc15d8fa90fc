'use strict';

/**
 * Small deterministic randomness helpers. Everything the simulator invents
 * (uids, hf_ids, names, amounts, fault dice) comes from these, so the same
 * seed always gives the same data.
 */

/**
 * mulberry32: a tiny 32-bit PRNG. Returns a function giving floats in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
function mulberry32(seed) {
	let state = seed >>> 0;
	return function next() {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Hash a string to a 32-bit seed (FNV-1a), e.g. to derive a per-invoice PRNG
 * from `${seed}:${uid}`.
 * @param {string} text
 */
function hashString(text) {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** Integer in [min, max], both inclusive. */
function randomInt(rng, min, max) {
	return min + Math.floor(rng() * (max - min + 1));
}

/** One element of a non-empty array. */
function pick(rng, list) {
	return list[Math.floor(rng() * list.length)];
}

/**
 * Pick by weight: `weighted(rng, [['waiting', 45], ['approved', 35]])`.
 * @template T
 * @param {() => number} rng
 * @param {Array<[T, number]>} entries
 * @returns {T}
 */
function weighted(rng, entries) {
	const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
	let roll = rng() * total;
	for (const [value, weight] of entries) {
		roll -= weight;
		if (roll < 0) return value;
	}
	return entries[entries.length - 1][0];
}

/** Eight hex digits from one PRNG draw. */
function hex32(rng) {
	return Math.floor(rng() * 4294967296)
		.toString(16)
		.padStart(8, '0');
}

/**
 * A version-4-shaped UUID made from the PRNG (version nibble 4, variant 10xx).
 * @param {() => number} rng
 */
function randomUuid(rng) {
	const a = hex32(rng);
	const b = hex32(rng);
	const c = hex32(rng);
	const d = hex32(rng);
	const variant = '89ab'[parseInt(c[0], 16) & 3];
	// join() gives a flat string; a template literal would keep a rope of pieces in memory.
	return [
		a,
		'-',
		b.slice(0, 4),
		'-4',
		b.slice(5),
		'-',
		variant,
		c.slice(1, 4),
		'-',
		c.slice(4),
		d,
	].join('');
}

module.exports = { mulberry32, hashString, randomInt, pick, weighted, randomUuid };
