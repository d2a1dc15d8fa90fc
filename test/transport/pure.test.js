'use strict';

const policy = require('../../nodes/BillOver/transport/retry');
const errors = require('../../nodes/BillOver/transport/errors');
const response = require('../../nodes/BillOver/transport/response');
const { describeFor } = require('../../nodes/BillOver/shared/errors');

describe('retry policy', () => {
	test.each([
		['repeatable', 'serverError', true],
		['repeatable', 'connectionLost', true],
		['not repeatable (a create)', 'serverError', false],
		['not repeatable (a create)', 'connectionLost', false],
		['not repeatable (a create)', 'rateLimited', true],
		['not repeatable (a create)', 'notConnected', true],
	])('%s after %s: retry = %p', (kind, failure, expected) => {
		expect(policy.mayRetry(kind === 'repeatable', failure)).toBe(expected);
	});

	test('Retry-After: seconds, fractions, HTTP dates, junk', () => {
		expect(policy.parseRetryAfter('3')).toBe(3000);
		expect(policy.parseRetryAfter('0.5')).toBe(500);
		expect(policy.parseRetryAfter('0')).toBe(0);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(policy.parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
		expect(policy.parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
		expect(policy.parseRetryAfter('soon')).toBeUndefined();
		expect(policy.parseRetryAfter(undefined)).toBeUndefined();
	});

	test('backoff doubles, stays within [half, full] of its step, and is capped', () => {
		const previous = policy.configureRetryTiming({ baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 });
		try {
			expect(policy.retryDelayMs(1, undefined, () => 0)).toBe(50);
			expect(policy.retryDelayMs(1, undefined, () => 1)).toBe(100);
			expect(policy.retryDelayMs(3, undefined, () => 1)).toBe(400);
			expect(policy.retryDelayMs(10, undefined, () => 1)).toBe(1000);
			expect(policy.retryDelayMs(10, undefined, () => 0)).toBe(500);
			expect(policy.retryDelayMs(1, 2500)).toBe(2500);
			expect(policy.retryAfterTooLong(5001)).toBe(true);
			expect(policy.retryAfterTooLong(5000)).toBe(false);
		} finally {
			policy.configureRetryTiming(previous);
		}
	});
});

describe('error descriptions', () => {
	test('400 lists nested field errors', () => {
		const body = { total_price: ['Ensure that there are no more than 2 decimal places.'], items: [{ name: ['Too long.'] }], non_field_errors: ['Bad.'] };
		expect(errors.fieldErrors(body)).toEqual([
			'total_price: Ensure that there are no more than 2 decimal places.',
			'items[0].name: Too long.',
			'non_field_errors: Bad.',
		]);
		const { message, description } = errors.describeHttpError(400, body, 1);
		expect(message).toBe('BillOver rejected the request: total_price: Ensure that there are no more than 2 decimal places.; items[0].name: Too long.; non_field_errors: Bad.');
		expect(description).toMatch(/Correct these fields/);
	});

	test.each([
		['can_update', /remove the approval first/],
		['can_delete', /remove the approval first/],
		['can_approve', /approved already/],
		['can_reject', /waiting for a decision/],
		['can_remove_approval', /Only approved invoices/],
	])('403 for %s names the permission and what to do', (permission, hint) => {
		const { message, description } = describeFor({ invoiceUid: 'abc', permission, action: 'touch' })(403);
		expect(message).toBe(`BillOver does not allow you to touch invoice abc (permission ${permission} is false)`);
		expect(description).toMatch(hint);
	});

	test('404 names the item and its invoice', () => {
		expect(describeFor({ invoiceUid: 'i1', itemUid: 't1' })(404).message).toBe('BillOver could not find item t1 of invoice i1 (404)');
		expect(describeFor({ invoiceUid: 'i1' })(404).message).toBe('BillOver could not find invoice i1 (404)');
		expect(describeFor({ invoiceUid: 'i1' })(500)).toBeUndefined();
		expect(errors.describeHttpError(404, { detail: 'Not found.' }, 1).message).toBe('BillOver could not find the requested resource (404): Not found.');
	});

	test('5xx HTML pages are summarised by their title', () => {
		const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
		expect(errors.describeHttpError(502, html, 3).message).toBe('BillOver answered 502 (Bad Gateway) after 3 attempts');
		expect(errors.describeHttpError(500, '<html><body>oops</body></html>', 1).message).toBe('BillOver answered 500');
	});

	test('network codes are put in words (n8n rewrites messages that contain raw codes)', () => {
		expect(errors.describeNetworkCause('ECONNREFUSED')).toBe('connection refused');
		expect(errors.describeNetworkCause('ECONNRESET')).toBe('connection reset');
		expect(errors.describeNetworkCause('EWEIRD_THING')).toBe('weird thing');
	});
});

describe('response helpers', () => {
	test.each([
		['attachment; filename="invoices-2026-01-01.csv"', 'invoices-2026-01-01.csv'],
		["attachment; filename=\"x.pdf\"; filename*=UTF-8''Fatura%20%C3%A7.pdf", 'Fatura ç.pdf'],
		['inline; filename=plain.pdf', 'plain.pdf'],
		['attachment; filename="../../etc/passwd"', 'passwd'],
		['attachment', undefined],
		[undefined, undefined],
	])('Content-Disposition %p → %p', (header, name) => {
		expect(response.fileNameFromDisposition(header)).toBe(name);
	});

	test('file name from URL, MIME type from Content-Type, JSON or text bodies', () => {
		expect(response.fileNameFromUrl('https://storage.example/invoices/a%20b.pdf?sig=1')).toBe('a b.pdf');
		expect(response.mimeTypeOf('text/csv; charset=utf-8')).toBe('text/csv');
		expect(response.mimeTypeOf(undefined)).toBe('application/octet-stream');
		expect(response.parseBody(Buffer.from('{"a":1}'), 'application/json')).toEqual({ a: 1 });
		expect(response.parseBody(Buffer.from('<html/>'), 'text/html')).toBe('<html/>');
		expect(response.parseBody(Buffer.alloc(0), 'application/json')).toBeNull();
		expect(response.normalizeHeaders({ 'Content-Type': 'x', 'Set-Cookie': ['a', 'b'] })).toEqual({ 'content-type': 'x', 'set-cookie': 'a, b' });
	});
});
