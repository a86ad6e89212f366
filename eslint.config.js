import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			// User content must never be rendered as HTML.
			'svelte/no-at-html-tags': 'error',
			// Plain <a href> is how this app navigates; no base path is configured.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// That rule is about component state; rune modules here keep Sets and Dates for bookkeeping
		// that nothing renders.
		files: ['**/*.svelte.ts'],
		rules: { 'svelte/prefer-svelte-reactivity': 'off' }
	},
	{ ignores: ['build/', 'relay-build/', '.svelte-kit/', 'src/lib/paraglide/', 'node_modules/', 'data/', 'test-results/', 'playwright-report/'] }
);
