import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema, getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, parse, validate,
  type GraphQLField, type GraphQLInputField, type GraphQLSchema,
} from 'graphql';
import { organisationHentSchema } from '../../src/organisationhent/schema';
import { KOMBIT_DIR as DIR, readmeQueries } from './support';

/**
 * Our OrganisationHent SDL against KOMBIT's published schema (../shared/kombit-org-graphql): every
 * type, field, argument, input field, enum value and scalar with the same name and the same type
 * (nullability included), and every sample query of KOMBIT's README valid against ours.
 */


const have = existsSync(join(DIR, 'schemaOrganisationV1.gql'));
if (!have && process.env.CI === 'true') throw new Error(`KOMBIT's schema is required under CI: ${DIR}`);
const maybe = have ? describe : describe.skip;
if (!have) console.warn(`KOMBIT's OrganisationHent files not found at ${DIR}: skipping the comparison`);

/** KOMBIT's file separates enum values by commas, which graphql-js reads as whitespace: as published. */
const kombit = (): GraphQLSchema => buildSchema(readFileSync(join(DIR, 'schemaOrganisationV1.gql'), 'utf8'));

maybe('OrganisationHent schema against KOMBIT\'s', () => {
  const theirs = kombit();
  const ours = organisationHentSchema();
  const types = Object.values(theirs.getTypeMap()).filter((t) => !t.name.startsWith('__'));

  it('has every type of theirs, of the same kind', () => {
    expect(types.length).toBeGreaterThan(25);
    for (const t of types) {
      const o = ours.getType(t.name);
      expect([t.name, o?.constructor.name]).toEqual([t.name, t.constructor.name]);
    }
  });

  it.each(types.filter((t) => isObjectType(t) || isInterfaceType(t)).map((t) => [t.name]))('%s: every field and argument, same types and nullability', (name) => {
    type Fielded = { getFields(): Record<string, GraphQLField<unknown, unknown>>; getInterfaces(): Array<{ name: string }> };
    const t = theirs.getType(name) as unknown as Fielded;
    const o = ours.getType(name) as unknown as Fielded;
    for (const f of Object.values(t.getFields())) {
      const g = o.getFields()[f.name];
      expect([f.name, String(g?.type)]).toEqual([f.name, String(f.type)]);
      for (const a of f.args) expect([f.name, a.name, String(g.args.find((b) => b.name === a.name)?.type)]).toEqual([f.name, a.name, String(a.type)]);
      // What we add beyond KOMBIT is optional: their queries stay valid.
      for (const b of g.args) if (!f.args.some((a) => a.name === b.name)) expect([b.name, String(b.type).endsWith('!')]).toEqual([b.name, false]);
      const d = f.astNode?.directives?.map((x) => x.name.value) ?? [];
      expect(g.astNode?.directives?.map((x) => x.name.value) ?? []).toEqual(d);
    }
    expect(Object.keys(o.getFields()).sort()).toEqual(Object.keys(t.getFields()).sort());
    expect(o.getInterfaces().map((i) => i.name)).toEqual(t.getInterfaces().map((i) => i.name));
  });

  it('has every input field, enum value and scalar', () => {
    for (const t of types) {
      const o = ours.getType(t.name)!;
      if (isInputObjectType(t) && isInputObjectType(o)) {
        const mine = o.getFields();
        for (const f of Object.values(t.getFields()) as GraphQLInputField[]) expect([t.name, f.name, String(mine[f.name]?.type)]).toEqual([t.name, f.name, String(f.type)]);
        expect(Object.keys(mine).sort()).toEqual(Object.keys(t.getFields()).sort());
      }
      if (isEnumType(t) && isEnumType(o)) expect(o.getValues().map((v) => v.name)).toEqual(t.getValues().map((v) => v.name));
      if (isScalarType(t)) expect(isScalarType(o)).toBe(true);
    }
    const d = theirs.getDirective('PersonDataConstraint')!;
    const ourD = ours.getDirective('PersonDataConstraint')!;
    expect(ourD.locations).toEqual(d.locations);
    expect(ourD.args.map((a) => `${a.name}:${String(a.type)}`)).toEqual(d.args.map((a) => `${a.name}:${String(a.type)}`));
  });

  it('names the same types at every field (no type of ours is missing from theirs but the time inputs)', () => {
    const extra = Object.keys(ours.getTypeMap()).filter((n) => !n.startsWith('__') && !theirs.getType(n));
    expect(extra.sort()).toEqual(['RegistreringInput', 'VirkningInput']);
    for (const t of types) if (isObjectType(t)) for (const f of Object.values(t.getFields())) expect(getNamedType(f.type).name).toBeTruthy();
  });

  it('accepts every sample query of KOMBIT\'s README', () => {
    const samples = readmeQueries();
    expect(samples.length).toBeGreaterThanOrEqual(12);
    for (const s of samples) expect([s.name, validate(ours, parse(s.text)).map((e) => e.message)]).toEqual([s.name, []]);
  });
});
