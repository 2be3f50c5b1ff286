import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateContract } from '../contract';

/**
 * Writes the generated contract (default `contract/` under the working directory):
 *
 *   node dist/src/tools/write-contract.js [outDir]          write, removing stale .xsd/.wsdl files
 *   node dist/src/tools/write-contract.js --check [outDir]  exit 1 if outDir differs from the generator
 */

/** Files below `dir` (relative, POSIX separators). */
function listFiles(dir: string, rel = ''): string[] {
  const abs = path.join(dir, rel);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, child) : [child];
  });
}

/** Only generated kinds of files are ever removed, and only inside the generated folders. */
const isGeneratedKind = (rel: string): boolean => /^(xsd|wsdl)\/.*\.(xsd|wsdl)$/.test(rel);

/** Differences between a contract directory and the generator's output, as human-readable lines. */
export function diffContract(dir: string, files: Map<string, string> = generateContract()): string[] {
  const problems: string[] = [];
  for (const [rel, content] of files) {
    const abs = path.join(dir, rel);
    if (!fs.existsSync(abs)) problems.push(`missing: ${rel}`);
    else if (fs.readFileSync(abs, 'utf8') !== content) problems.push(`differs: ${rel}`);
  }
  for (const rel of listFiles(dir)) {
    if (isGeneratedKind(rel) && !files.has(rel)) problems.push(`not generated (stale): ${rel}`);
  }
  return problems;
}

export function writeContract(dir: string, files: Map<string, string> = generateContract()): { written: string[]; removed: string[] } {
  const written: string[] = [];
  const removed: string[] = [];
  for (const rel of listFiles(dir)) {
    if (isGeneratedKind(rel) && !files.has(rel)) {
      fs.unlinkSync(path.join(dir, rel));
      removed.push(rel);
    }
  }
  for (const [rel, content] of files) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (!fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== content) {
      fs.writeFileSync(abs, content);
      written.push(rel);
    }
  }
  return { written, removed };
}

function main(args: string[]): number {
  const check = args.includes('--check');
  const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'contract');
  if (check) {
    const problems = diffContract(dir);
    if (problems.length === 0) {
      console.log(`${dir}: up to date`);
      return 0;
    }
    console.error(`${dir} is stale; run \`npm run contract\`:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const files = generateContract();
  const { written, removed } = writeContract(dir, files);
  console.log(`${dir}: ${files.size} files, ${written.length} written, ${removed.length} removed`);
  for (const f of written) console.log(`  wrote ${f}`);
  for (const f of removed) console.log(`  removed ${f}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
