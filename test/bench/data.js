'use strict';

/** Bench data that both clients share. */
const { renderPdf } = require('../sandbox/pdf');

/** `length` bytes that do not compress (xorshift32), the same for the same seed. */
function pseudoRandomBytes(length, seed = 1) {
	const bytes = Buffer.allocUnsafe(length);
	let x = (0x2545f491 ^ seed) >>> 0 || 1;
	const words = Math.floor(length / 4);
	for (let index = 0; index < words; index++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		bytes.writeInt32LE(x | 0, index * 4);
	}
	for (let index = words * 4; index < length; index++) bytes[index] = index & 0xff;
	return bytes;
}

/** The file every Create uploads: a one-page PDF. */
const UPLOAD = {
	fileName: 'bench-invoice.pdf',
	mimeType: 'application/pdf',
	bytes: renderPdf(['Invoice BENCH-1', 'Benchmark upload', 'Total: 599.00 EUR']),
};

module.exports = { pseudoRandomBytes, UPLOAD };
