'use strict';

/**
 * The nodes run on whatever n8n-workflow the user's n8n ships (1.120 in n8n
 * 1.123, 2.8 in 2.8.4, 2.41 in 2.41.1), not on the dev copy. Every value the
 * built nodes import from it must exist in all of them; this pins the list,
 * so a new import (e.g. sleepWithAbort, gone from 2.34 on) is a conscious choice.
 */
const fs = require('node:fs');
const path = require('node:path');

const ALLOWED = new Set(['NodeApiError', 'NodeConnectionTypes', 'NodeOperationError', 'sleep', 'updateDisplayOptions']);

function sources(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

test('runtime imports from n8n-workflow are limited to APIs every supported n8n has', () => {
	const root = path.join(__dirname, '..', '..');
	const used = new Set();
	for (const file of [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))]) {
		const text = fs.readFileSync(file, 'utf8');
		for (const match of text.matchAll(/import\s+\{([^}]*)\}\s+from\s+'n8n-workflow'/g)) {
			for (const name of match[1].split(',').map((part) => part.trim()).filter(Boolean)) used.add(name);
		}
	}
	expect([...used].filter((name) => !ALLOWED.has(name)).sort()).toEqual([]);
	expect(used.size).toBeGreaterThan(0);
});
