'use strict';

/** Small statistics for the benchmark's tables. */

function sorted(values) {
	return [...values].sort((a, b) => a - b);
}

function median(values) {
	const list = sorted(values);
	if (list.length === 0) return Number.NaN;
	const middle = Math.floor(list.length / 2);
	return list.length % 2 ? list[middle] : (list[middle - 1] + list[middle]) / 2;
}

/** `{ min, median, max, runs }` of a list of numbers. */
function summarize(values) {
	const list = sorted(values);
	return { min: list[0], median: median(list), max: list[list.length - 1], runs: list.length };
}

/** The same value in every run, or every distinct value. */
function constant(values) {
	const distinct = [...new Set(values)];
	return distinct.length === 1 ? distinct[0] : distinct;
}

module.exports = { median, summarize, constant };
