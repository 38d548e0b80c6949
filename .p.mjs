import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map();
for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const target = process.argv[3];
const agg = new Map();
let total = 0;
for (const [id, c] of counts) {
  const n = byId.get(id);
  if (n.callFrame.functionName !== target) continue;
  total += c;
  const chain = [];
  let cur = parent.get(id);
  for (let i = 0; i < 8 && cur; i++) { const f = byId.get(cur).callFrame; chain.push(`${f.functionName}:${f.lineNumber}`); cur = parent.get(cur); }
  const key = chain.join(' < ');
  agg.set(key, (agg.get(key) ?? 0) + c);
}
console.log('total', total, 'of', p.samples.length);
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(v, k);
