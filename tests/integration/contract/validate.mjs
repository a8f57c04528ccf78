// Contract check: every answer the integration run recorded is validated against
// docs/openapi.yaml, so that the document cannot drift from the server.
//
//   node validate.mjs OPENAPI.yaml RECORD_DIR [NAME]
//
// A record is one JSON file: {"test", "method", "path" (no query), "status",
// "content_type", "headers": {lower-case name: value}, "body" (the raw text)}.
// For each record: the path and method must be an operation of the document (or a known
// path with another method: then 405, or an unknown path: then 404, both the error
// envelope), the status must be one the operation documents, the documented headers must be
// there, and the body must match the documented schema. Schemas are checked strictly: no
// undocumented property may appear unless the schema says additionalProperties, and in a
// schema marked `x-every-key-present: true` every documented property must be present
// (api.md: "absent values are null, never missing keys").
// Prints the TAP lines of tests/integration/lib.sh ("ok - NAME: ...", "not ok - NAME: ..."
// with "# expected:" and "# got:"): one per (operation, status) pair that matched, one per
// record that did not. Exit status 1 when a record did not match.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(process.env.WORLDS_NPM_DIR + '/node_modules/');
const YAML = require('yaml');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

const [specPath, recordDir, name = 'contract'] = process.argv.slice(2);
const spec = YAML.parse(readFileSync(specPath, 'utf8'));
const basePath = new URL(spec.servers[0].url.replace('{host}', 'h')).pathname.replace(/\/$/, '');

// Strict copy: undocumented properties forbidden unless the schema declares
// additionalProperties itself (free-form objects such as `result`); every property required
// where the schema says every key is always present.
function strict(node) {
	if (Array.isArray(node)) return node.map(strict);
	if (node === null || typeof node !== 'object') return node;
	const out = {};
	for (const [k, v] of Object.entries(node)) out[k] = k === 'example' ? v : strict(v);
	if (out.properties && !('additionalProperties' in node)) out.additionalProperties = false;
	if (out.properties && node['x-every-key-present']) out.required = Object.keys(out.properties);
	return out;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
// OpenAPI's own formats that JSON Schema does not define.
ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
const components = strict(spec.components.schemas);
ajv.addSchema({ $id: 'spec', components: { schemas: components } });

function resolveRef(obj) {
	while (obj && obj.$ref) {
		const parts = obj.$ref.replace(/^#\//, '').split('/');
		obj = parts.reduce((o, p) => o[p.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
	}
	return obj;
}

function schemaValidator(schema) {
	const text = JSON.stringify(strict(schema)).replace(/"#\/components\/schemas\//g, '"spec#/components/schemas/');
	return ajv.compile(JSON.parse(text));
}

const templates = Object.keys(spec.paths).map((p) => ({
	template: p,
	re: new RegExp('^' + basePath + p.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
}));

// ajv's errors, naming the property that is extra or missing.
function explain(errors) {
	return errors.map((e) => `${e.instancePath || '(body)'} ${e.message}` +
		(e.params && e.params.additionalProperty ? `: ${e.params.additionalProperty}` : '')).join('; ');
}

const errorValidator = schemaValidator({ $ref: '#/components/schemas/APIErrorPayload' });
const validators = new Map();
function validatorFor(key, schema) {
	if (!validators.has(key)) validators.set(key, schemaValidator(schema));
	return validators.get(key);
}

let failed = 0;
const seen = new Map(); // "METHOD template status" -> count
// Failures grouped by operation, status and problem, so that one defect repeated in a
// hundred answers is one line that says how often it was seen.
const problems = new Map();
function fail(rec, file, why, key) {
	failed++;
	const general = [...new Set(why.split('; ').map((w) => w.replace(/\/(\d+)(?=\/|$| )/g, '/N')))].join('; ');
	const k = `${key || rec.method + ' ' + rec.path + ' ' + rec.status}: ${general}`;
	if (!problems.has(k)) problems.set(k, { count: 0, rec, file, why: general, tests: new Set() });
	const p = problems.get(k);
	p.count++;
	p.tests.add(rec.test || '?');
}
const fail_ = (rec, file, why) => fail(rec, file, why, currentKey);
let currentKey;
const files = readdirSync(recordDir).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
	let rec;
	try {
		rec = JSON.parse(readFileSync(join(recordDir, file), 'utf8'));
	} catch (e) {
		fail({ method: '?', path: file, status: '?' }, file, 'unreadable record: ' + e.message);
		continue;
	}
	const method = rec.method.toLowerCase();
	const status = String(rec.status);
	const hdrs = rec.headers || {};
	const match = templates.find((t) => t.re.test(rec.path));
	const key = `${rec.method.toUpperCase()} ${match ? match.template : '(unknown path)'} ${status}`;
	currentKey = key;
	let body = null;
	const hasBody = rec.body !== undefined && rec.body !== '';
	if (hasBody) {
		if (!/^application\/json; charset=utf-8$/i.test(rec.content_type || '')) {
			fail_(rec, file, `Content-Type is "${rec.content_type}", expected application/json; charset=utf-8`);
			continue;
		}
		try {
			body = JSON.parse(rec.body);
		} catch (e) {
			fail_(rec, file, 'body is not JSON: ' + e.message);
			continue;
		}
	}
	const op = match && spec.paths[match.template][method];
	if (!op) {
		// The router's and nginx's answers for what the document does not describe.
		const want = match ? '405' : '404';
		if (status !== want && !['426', '429', '502', '504', '413', '414'].includes(status)) {
			fail_(rec, file, `no operation ${rec.method} here: expected ${want}`);
			continue;
		}
		if (status === '405' && !hdrs.allow) {
			fail_(rec, file, '405 without an Allow header');
			continue;
		}
		if (!errorValidator(body)) {
			fail_(rec, file, 'not an APIErrorPayload: ' + explain(errorValidator.errors));
			continue;
		}
		seen.set(key, (seen.get(key) || 0) + 1);
		continue;
	}
	const resp = resolveRef(op.responses[status]);
	if (!resp) {
		fail_(rec, file, `status ${status} is not documented for ${rec.method} ${match.template}`);
		continue;
	}
	let bad = false;
	for (const [name, h] of Object.entries(resp.headers || {})) {
		const hdr = resolveRef(h);
		if (hdr.required && hdrs[name.toLowerCase()] === undefined) {
			fail_(rec, file, `documented header ${name} is missing`);
			bad = true;
			break;
		}
		const hs = hdr.schema || {};
		const v = hdrs[name.toLowerCase()];
		if (v !== undefined && hs.pattern && !new RegExp(hs.pattern).test(v)) {
			fail_(rec, file, `header ${name}: "${v}" does not match ${hs.pattern}`);
			bad = true;
			break;
		}
	}
	if (bad) continue;
	const media = resp.content && resp.content['application/json'];
	if (!media) {
		if (hasBody) fail_(rec, file, `status ${status} is documented without a body, got one`);
		else seen.set(key, (seen.get(key) || 0) + 1);
		continue;
	}
	if (!hasBody) {
		fail_(rec, file, 'documented with a JSON body, got none');
		continue;
	}
	const validate = validatorFor(`${key}`, media.schema);
	if (!validate(body)) {
		fail_(rec, file, explain(validate.errors));
		continue;
	}
	if (body && typeof body.code === 'number' && String(body.code) !== status) {
		fail_(rec, file, `envelope code ${body.code} differs from the HTTP status ${status}`);
		continue;
	}
	seen.set(key, (seen.get(key) || 0) + 1);
}

for (const [k, p] of [...problems.entries()].sort()) {
	console.log(`not ok - ${name}: ${k.split(': ')[0]} answers match docs/openapi.yaml`);
	console.log(`# expected: the documented status, headers and schema`);
	console.log(`# got: ${p.why} in ${p.count} answer${p.count === 1 ? '' : 's'} (tests: ${[...p.tests].sort().join(', ')}); e.g. ${p.rec.method} ${p.rec.path} (record ${p.file}): ${(p.rec.body || '').slice(0, 300)}`);
}
for (const [key, count] of [...seen.entries()].sort()) {
	console.log(`ok - ${name}: ${key} matches docs/openapi.yaml (${count} answer${count === 1 ? '' : 's'})`);
}
// Coverage: operations that no recorded answer exercised are worth knowing about.
for (const [p, item] of Object.entries(spec.paths)) {
	for (const m of ['get', 'post', 'put', 'delete', 'patch']) {
		if (!item[m]) continue;
		const any = [...seen.keys()].some((k) => k.startsWith(`${m.toUpperCase()} ${p} `));
		if (!any) console.log(`# no recorded answer for ${m.toUpperCase()} ${p}`);
	}
}
console.log(`# ${files.length} answers checked, ${failed} not matching`);
process.exit(failed ? 1 : 0);
