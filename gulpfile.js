// Copies what tsc does not emit (icons, codex JSON) next to the compiled node. `npm run build`
// (scripts/build.mjs) sets BUILD_OUT_DIR to the folder it builds in before it updates dist/.
const { src, dest } = require('gulp');

const outDir = process.env.BUILD_OUT_DIR || 'dist';

function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(outDir));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest(outDir));
}

exports['build:icons'] = require('gulp').parallel(buildIcons, copyCodex);
