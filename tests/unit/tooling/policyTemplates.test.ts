import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { POLICY_TEXT, policyDefinitions } from '../../../app/core/config/policySchema.ts';
import { SettingsOverrideSchema } from '../../../app/core/config/profiles.ts';
import { renderAdml, renderAdmx, TEMPLATE_FILES } from '../../../scripts/generate-admx.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const committed = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['policy', 'string', 'presentation', 'category'].includes(name) });

function settingLeaves(schema: Record<string, unknown>, path: string[] = []): string[] {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (schema.type === 'object' && properties) return Object.entries(properties).flatMap(([name, child]) => settingLeaves(child, [...path, name]));
  return [path.join('.')];
}

describe('the ADMX/ADML templates in deploy/', () => {
  it('are what scripts/generate-admx.ts makes from the policy schema now (regenerating changes nothing)', () => {
    expect(committed(TEMPLATE_FILES.admx)).toBe(renderAdmx().replace(/\n/g, '\r\n'));
    expect(committed(TEMPLATE_FILES.adml)).toBe(renderAdml().replace(/\n/g, '\r\n'));
  });

  it('are well-formed XML in the Group Policy namespace', () => {
    for (const file of [TEMPLATE_FILES.admx, TEMPLATE_FILES.adml]) expect(XMLValidator.validate(committed(file)), file).toBe(true);
    expect(parser.parse(committed(TEMPLATE_FILES.admx)).policyDefinitions.xmlns).toBe('http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions');
  });

  it('name every policy, and every string and presentation they use exists in the ADML', () => {
    const admx = parser.parse(committed(TEMPLATE_FILES.admx)).policyDefinitions;
    const adml = parser.parse(committed(TEMPLATE_FILES.adml)).policyDefinitionResources.resources;
    const policies = admx.policies.policy as Array<Record<string, unknown>>;
    expect(policies.map((p) => p.name).sort()).toEqual(policyDefinitions().map((d) => d.id).sort());
    const strings = new Set((adml.stringTable.string as Array<{ id: string }>).map((s) => s.id));
    const presentations = new Set((adml.presentationTable.presentation as Array<{ id: string }>).map((p) => p.id));
    const refs = [...committed(TEMPLATE_FILES.admx).matchAll(/\$\((string|presentation)\.([^)]+)\)/g)];
    expect(refs.length).toBeGreaterThan(policies.length);
    for (const [, table, id] of refs) expect(table === 'string' ? strings.has(id!) : presentations.has(id!), `${table}.${id}`).toBe(true);
    for (const policy of policies) expect(String(policy.key)).toMatch(/^Software\\Policies\\Lifeboat(\\[A-Za-z]+)?$/);
  });

  it('cover every setting of the settings schema, and the profiles, with words for IT', () => {
    const settings = settingLeaves(z.toJSONSchema(SettingsOverrideSchema) as Record<string, unknown>);
    expect(Object.keys(POLICY_TEXT).sort()).toEqual([...settings, 'profiles'].sort());
    expect(policyDefinitions().map((d) => d.path.slice(1).join('.') || 'profiles').sort()).toEqual([...settings, 'profiles'].sort());
    // Registry names are unique per key, and ids unique: two settings can never share a value.
    const ids = policyDefinitions().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
