/**
 * `POST /v1/invoices/` (docs/API.md, Create): one multipart part named `file`,
 * a PDF, PNG or JPEG with a file name. The type comes from the binary data's
 * MIME type, or from the file extension when the MIME type says nothing.
 * Also the node's "Wait for Processing" settings, checked with the upload.
 */
import { z } from 'zod';

const TYPES_BY_MIME: Record<string, { mimeType: string; extension: string }> = {
	'application/pdf': { mimeType: 'application/pdf', extension: 'pdf' },
	'image/png': { mimeType: 'image/png', extension: 'png' },
	'image/jpeg': { mimeType: 'image/jpeg', extension: 'jpg' },
	'image/jpg': { mimeType: 'image/jpeg', extension: 'jpg' },
	'image/pjpeg': { mimeType: 'image/jpeg', extension: 'jpg' },
};

const MIME_BY_EXTENSION: Record<string, string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
};

export const uploadFileSchema = z
	.object({
		fileName: z.string().trim().optional(),
		mimeType: z.string().optional(),
		size: z.number().int().min(1, 'is an empty file (0 bytes)'),
	})
	.transform((file, ctx) => {
		const declared = (file.mimeType ?? '').split(';')[0].trim().toLowerCase();
		const extension = /\.([a-z0-9]+)$/i.exec(file.fileName ?? '')?.[1].toLowerCase();
		let type = TYPES_BY_MIME[declared];
		if (!type && (declared === '' || declared === 'application/octet-stream') && extension && MIME_BY_EXTENSION[extension]) {
			type = TYPES_BY_MIME[MIME_BY_EXTENSION[extension]];
		}
		if (!type) {
			const shown = declared && declared !== 'application/octet-stream' ? declared : `a file named "${file.fileName ?? ''}"`;
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a PDF, PNG or JPEG file, got ${shown}`, path: ['file'] });
			return z.NEVER;
		}
		return { fileName: file.fileName || `invoice.${type.extension}`, mimeType: type.mimeType };
	});

export type UploadFile = z.output<typeof uploadFileSchema>;

const seconds = (max: number) =>
	z.preprocess(
		(value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
		z
			.number({ invalid_type_error: 'must be a number of seconds' })
			.finite('must be a number of seconds')
			.positive('must be more than 0 seconds')
			.max(max, `must be at most ${max} seconds`),
	);

/** Poll interval and timeout, in seconds (fractions allowed), as milliseconds. */
export const waitForProcessingSchema = z
	.object({ pollInterval: seconds(3_600), timeout: seconds(86_400) })
	.strict()
	.transform(({ pollInterval, timeout }) => ({ intervalMs: pollInterval * 1000, timeoutMs: timeout * 1000 }));
