'use strict';

/**
 * Nothing in the nodes assumes one process. In queue mode a trigger polls on
 * main while its executions run on workers, and any execution may run on any
 * worker: state a node kept in a module between executions would differ from
 * process to process. This test reads every source file of the pack with
 * TypeScript's parser and lists its module-level state: `let`/`var`
 * declarations, and `const` containers (Map, Set, arrays, objects) that any
 * source writes to after load. Each must be in the list below, with why it
 * carries nothing between executions; description tables and lookup tables
 * that nothing writes are constants.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..', '..');

/** file:name → why it is harmless in a multi-process n8n. */
const ALLOWED = {
	'nodes/BillOver/transport/credential.ts:cache':
		'a WeakMap keyed by the node run\'s context object: one credential lookup per run, collected with it',
	'nodes/BillOver/transport/limiter.ts:limiters':
		'a WeakMap keyed by the node run\'s context object: one request limiter per run, collected with it',
	'nodes/BillOver/transport/retry.ts:timing': 'retry timing; only tests change it (configureRetryTiming), n8n runs the defaults',
	'nodes/BillOver/transport/paginate.ts:pageConcurrency': 'pages fetched at once; only tests and the benchmark change it, n8n runs the default',
};

function sourceFiles(dir) {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(relative);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
	});
}

const MUTABLE = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

function isMutableContainer(initializer) {
	if (!initializer) return false;
	if (ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression)) return MUTABLE.has(initializer.expression.text);
	// `[]` or `{}` left open to writes; Object.freeze(...) and `as const` tables are constants.
	if (ts.isArrayLiteralExpression(initializer) || ts.isObjectLiteralExpression(initializer)) return true;
	return false;
}

/** Writes to `name` after its declaration: assignments to it or its members, and mutating calls. */
function writesTo(name, texts) {
	// The name itself, not a property of that name on another object (`details.description = …`).
	const target = `(?<![.\\w$])${name}(?:\\.[\\w$]+|\\[[^\\]]*\\])*`;
	// `a === b` is no write; a declaration of the same name elsewhere is another variable.
	const declaration = new RegExp(`\\b(?:const|let|var)\\s+${name}\\b(?:\\s*:[^=]+)?\\s*=`, 'g');
	const assignment = new RegExp(`${target}\\s*(?:=(?![=>])|\\+=|-=|\\+\\+|--)`);
	const call = new RegExp(`${target}\\.(?:push|pop|shift|unshift|splice|set|add|delete|clear|sort|reverse|fill)\\(`);
	return texts.map((text) => text.replace(declaration, '')).some((text) => assignment.test(text) || call.test(text));
}

function moduleState(file, texts) {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
	const found = [];
	for (const statement of source.statements) {
		if (!ts.isVariableStatement(statement)) continue;
		const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
		for (const declaration of statement.declarationList.declarations) {
			const name = declaration.name.getText(source);
			if (!isConst) found.push({ name, kind: 'let/var' });
			else if (isMutableContainer(declaration.initializer) && writesTo(name, texts.map((entry) => entry.replace(declaration.getText(source), '')))) found.push({ name, kind: 'container written after load' });
		}
	}
	return found;
}

describe('module-level state (queue mode: any execution may run in any process)', () => {
	const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];
	const texts = files.map((file) => fs.readFileSync(path.join(ROOT, file), 'utf8'));

	it('reads the sources', () => {
		expect(files.length).toBeGreaterThan(30);
	});

	it('holds nothing that carries over between executions beyond the reviewed list', () => {
		const unexpected = [];
		const seen = new Set();
		for (const file of files) {
			for (const entry of moduleState(file, texts)) {
				const key = `${file}:${entry.name}`;
				seen.add(key);
				if (!ALLOWED[key]) unexpected.push(`${key} (${entry.kind})`);
			}
		}
		expect(unexpected).toEqual([]);
		// The list stays true: every reviewed entry still exists.
		expect(Object.keys(ALLOWED).filter((key) => !seen.has(key))).toEqual([]);
	});

	it('the trigger keeps its state in n8n\'s static data; its only process constant is an id', () => {
		const text = fs.readFileSync(path.join(ROOT, 'nodes/BillOver/trigger/process.ts'), 'utf8');
		expect(text).toMatch(/export function processId\(\): string/);
		const state = fs.readFileSync(path.join(ROOT, 'nodes/BillOver/trigger/state.ts'), 'utf8');
		expect(state).toMatch(/getWorkflowStaticData\(/);
	});
});
