// Finds fields that Kubernetes does not know in a manifest (a misspelled `readinesProbe` would be
// dropped silently by the API server; kubernetes-models' own validation allows extra fields).
// The field names come from the TypeScript declarations that kubernetes-models ships: one file
// per API type, whose first interface lists the type's fields and imports the types of theirs.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

export class StrictFields {
  /** @param modelsDir the kubernetes-models package directory */
  constructor(modelsDir) {
    this.modelsDir = modelsDir;
    this.require = createRequire(path.join(modelsDir, "package.json"));
    this.files = new Map();
  }

  /** The paths of the fields of `doc` that its API type does not have, e.g. `spec.template.spec.containers[0].bogus`. */
  unknownFields(doc) {
    const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
    const file = path.join(this.modelsDir, ...(group ? [group, version] : [version]), `${doc.kind}.d.ts`);
    const found = [];
    this.walk(doc, this.mainType(file), "", found);
    return found;
  }

  walk(value, type, at, found) {
    if (!type || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.walk(v, type, `${at}[${i}]`, found));
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (!(k in type.props)) {
        found.push(at ? `${at}.${k}` : k);
        continue;
      }
      this.walk(v, this.fieldType(type.props[k], type.file), at ? `${at}.${k}` : k, found);
    }
  }

  /** The interface a field's type names (inside Array<...> too), or null for scalars and free maps. */
  fieldType(text, fromFile) {
    const t = text.trim();
    if (t.startsWith("{")) return null; // { [key: string]: ... }: any keys
    const m = t.match(/\bI[A-Z][A-Za-z0-9]*/);
    if (!m) return null;
    const file = this.parse(fromFile).imports[m[0]];
    return file ? this.mainType(file) : null;
  }

  mainType(file) {
    const f = this.parse(file);
    return f.main ? { file, props: f.main } : null;
  }

  parse(file) {
    if (this.files.has(file)) return this.files.get(file);
    const src = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const imports = {};
    for (const m of src.matchAll(/import \{([^}]*)\} from "([^"]+)";/g)) {
      const target = m[2].startsWith(".") ? path.resolve(path.dirname(file), m[2]) : this.require.resolve(m[2]).replace(/\.js$/, "");
      for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) imports[name] = `${target}.d.ts`;
    }
    let main = null;
    const head = src.match(/export interface (\w+)(?: extends ([\w, ]+))? \{/);
    if (head) {
      main = this.properties(src, head.index + head[0].length);
      if (head[2] && head[2].includes("TypeMeta")) Object.assign(main, { apiVersion: "string", kind: "string" });
    }
    const parsed = { imports, main };
    this.files.set(file, parsed);
    return parsed;
  }

  /** The `"name"?: type;` entries of an interface body starting at `i` (just after its `{`). */
  properties(src, i) {
    const props = {};
    let depth = 0;
    while (i < src.length) {
      const c = src[i];
      if (c === "}" && depth === 0) break;
      const m = depth === 0 && src.slice(i).match(/^\s*"([^"]+)"\??:\s*/);
      if (m) {
        i += m[0].length;
        let j = i, d = 0;
        for (; j < src.length; j++) {
          const ch = src[j];
          if ("{<(".includes(ch)) d++;
          else if ("}>)".includes(ch)) d--;
          else if (ch === ";" && d === 0) break;
        }
        props[m[1]] = src.slice(i, j);
        i = j + 1;
        continue;
      }
      i++;
    }
    return props;
  }
}
