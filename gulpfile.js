'use strict';

/**
 * Copies what `tsc` does not emit into dist/: the nodes' and the credential's
 * icons (light and dark SVG variants) and the nodes' codex files
 * (`*.node.json`), keeping their folder layout.
 */
const { src, dest, series } = require('gulp');
const fs = require('node:fs');
const path = require('node:path');

const ASSETS = ['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json', 'credentials/**/*.svg', 'credentials/**/*.png'];

function copyIcons() {
	return src(ASSETS, { base: '.', encoding: false }).pipe(dest('dist'));
}

async function clean() {
	await fs.promises.rm(path.join(__dirname, 'dist'), { recursive: true, force: true });
}

exports.clean = clean;
exports['build:icons'] = copyIcons;
exports.default = series(copyIcons);
