'use strict';

/**
 * Typed errors. The store throws them; the HTTP layer turns them into the
 * answers a Django REST Framework backend gives (docs/API.md, Errors):
 * `{"detail": "..."}` for general errors, `{"<field>": ["message"]}` for 400s.
 */

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {object} body JSON body of the answer
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, body, headers = {}) {
		super(typeof body.detail === 'string' ? body.detail : JSON.stringify(body));
		this.name = this.constructor.name;
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

/** 400 with field errors: `{"total_price": ["A valid number is required."]}`. */
class ValidationError extends ApiError {
	/** @param {Record<string, string[]>} fields */
	constructor(fields) {
		super(400, fields);
		this.fields = fields;
	}
}

/** 400 `{"detail": "JSON parse error - ..."}` and similar. */
class ParseError extends ApiError {
	constructor(detail) {
		super(400, { detail });
	}
}

class NotAuthenticatedError extends ApiError {
	constructor() {
		super(401, { detail: 'Invalid API key.' }, { 'WWW-Authenticate': 'Api-Key' });
	}
}

/** 403: the action's permission flag is false (docs/API.md, State and permissions). */
class PermissionDeniedError extends ApiError {
	constructor() {
		super(403, { detail: 'You do not have permission to perform this action.' });
	}
}

/** 404. DRF's get_object_or_404 says "No <Model> matches the given query.". */
class NotFoundError extends ApiError {
	constructor(detail = 'Not found.') {
		super(404, { detail });
	}
}

class MethodNotAllowedError extends ApiError {
	/** @param {string} method @param {string[]} allowed */
	constructor(method, allowed) {
		super(405, { detail: `Method "${method}" not allowed.` }, { Allow: allowed.join(', ') });
	}
}

/** Only used by the simulator's control API (e.g. finishing an invoice that is not processing). */
class ConflictError extends ApiError {
	constructor(detail) {
		super(409, { detail });
	}
}

class PayloadTooLargeError extends ApiError {
	constructor() {
		super(413, { detail: 'Request entity too large.' });
	}
}

class UnsupportedMediaTypeError extends ApiError {
	constructor(contentType) {
		super(415, { detail: `Unsupported media type "${contentType}" in request.` });
	}
}

module.exports = {
	ApiError,
	ValidationError,
	ParseError,
	NotAuthenticatedError,
	PermissionDeniedError,
	NotFoundError,
	MethodNotAllowedError,
	ConflictError,
	PayloadTooLargeError,
	UnsupportedMediaTypeError,
};
