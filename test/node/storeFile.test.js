'use strict';

/**
 * storeFile's file size on every n8n: n8n 2.x returns `bytes` from
 * prepareBinaryData, n8n 1.x does not (its binary data service sets only the
 * pretty `fileSize`). The engine tests run n8n 2.x; here the helpers of an
 * n8n 1.x context are stood in for.
 */
const { storeFile } = require('../../nodes/BillOver/shared/binary');

const file = Buffer.from('%PDF-1.4 twenty-six bytes\n');
const describeFile = () => ({ fileName: 'scan.pdf', mimeType: 'application/pdf' });

function context(binary, metadata) {
	return {
		helpers: {
			prepareBinaryData: async () => ({ mimeType: 'application/pdf', fileName: 'scan.pdf', ...binary }),
			getBinaryMetadata: async () => {
				if (!metadata) throw new Error('no metadata');
				return metadata;
			},
		},
	};
}

test.each([
	['n8n 2.x (bytes)', { data: 'filesystem-v2', id: 'filesystem-v2:x', bytes: 26 }, undefined, {}, 26],
	['n8n 1.x, memory mode (base64 data)', { data: file.toString('base64') }, undefined, {}, 26],
	['n8n 1.x, filesystem mode (metadata)', { data: 'filesystem', id: 'filesystem:x' }, { fileSize: 26 }, {}, 26],
	['n8n 1.x, no metadata: Content-Length', { data: 'filesystem', id: 'filesystem:x' }, undefined, { 'content-length': '26' }, 26],
	['nothing says', { data: 'filesystem', id: 'filesystem:x' }, undefined, {}, undefined],
])('%s', async (_label, binary, metadata, headers, size) => {
	const stored = await storeFile(context(binary, metadata), describeFile)(file, headers);
	expect(stored).toMatchObject({ fileName: 'scan.pdf', mimeType: 'application/pdf', fileSize: size });
});
