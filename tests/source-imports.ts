// What a source file imports, read with TypeScript's parser (of a Svelte file, its scripts). The
// tests that hold which code loads where (the first page, the repository layer) read it alike.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'svelte/compiler';
import ts from 'typescript';

const SRC = resolve('src');

function scriptOf(file: string): string {
	const source = readFileSync(file, 'utf8');
	if (!file.endsWith('.svelte')) return source;
	const ast = parse(source, { modern: true });
	// A script node spans its tags: the code is what lies between them.
	const code = (script: { start: number; end: number }) => source.slice(script.start, script.end).replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '');
	return [ast.module, ast.instance].flatMap((script) => (script ? [code(script)] : [])).join('\n');
}

function typeOnly(clause: ts.ImportClause | undefined): boolean {
	if (!clause) return false;
	if (clause.isTypeOnly) return true;
	const named = clause.namedBindings;
	return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/**
 * What `file` imports: our files as absolute paths (`$lib/…` and relative ones), the rest as
 * written (packages, `$app/…`). Only what loads with the file, unless asked: `types` adds
 * type-only imports (they tie a file to another's shape), `later` adds `import()`.
 */
export function importsOf(file: string, wanted: { types?: boolean; later?: boolean } = {}): string[] {
	const code = ts.createSourceFile(file, scriptOf(file), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const found: string[] = [];
	const add = (specifier: ts.Node | undefined) => {
		if (!specifier || !ts.isStringLiteral(specifier)) return;
		const name = specifier.text;
		found.push(name.startsWith('$lib/') ? join(SRC, 'lib', name.slice(5)) : name.startsWith('.') ? resolve(dirname(file), name) : name);
	};
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node)) {
			if (wanted.types || !typeOnly(node.importClause)) add(node.moduleSpecifier);
		} else if (ts.isExportDeclaration(node)) {
			if (wanted.types || !node.isTypeOnly) add(node.moduleSpecifier);
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			if (wanted.later) add(node.arguments[0]);
		} else if (ts.isImportTypeNode(node) && wanted.types && ts.isLiteralTypeNode(node.argument)) {
			add(node.argument.literal);
		}
		ts.forEachChild(node, visit);
	};
	visit(code);
	return found;
}
