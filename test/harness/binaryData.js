'use strict';

/**
 * n8n's binary data modes in the harness. Without this, n8n-core keeps
 * binary data in memory (base64 in the item: n8n's "default" mode). n8n 2.x
 * runs in "filesystem" mode by default (regular mode): files go to disk and
 * items carry only an id. `useFilesystemBinaryData(dir)` switches this process
 * to that mode, through n8n-core's own BinaryDataService.
 */
const fs = require('node:fs');
const path = require('node:path');

// The engine gives n8n-core its private settings folder before n8n-core loads.
require('./engine');
const { BinaryDataService } = require('n8n-core');

function container() {
	const coreDir = path.dirname(require.resolve('n8n-core'));
	return require(require.resolve('@n8n/di', { paths: [coreDir] })).Container;
}

/** n8n-core's BinaryDataService of this process. */
function binaryDataService() {
	return container().get(BinaryDataService);
}

/**
 * Filesystem mode, files under `dir`, from now on in this process.
 * @param {string} dir
 */
async function useFilesystemBinaryData(dir) {
	fs.mkdirSync(dir, { recursive: true });
	const service = binaryDataService();
	service.config.mode = 'filesystem';
	service.config.localStoragePath = dir;
	await service.init();
	return service;
}

/** The bytes of an output item's binary property, in either mode. */
async function storedBytes(binary) {
	return await binaryDataService().getAsBuffer(binary);
}

module.exports = { useFilesystemBinaryData, binaryDataService, storedBytes };
