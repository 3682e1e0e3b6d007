/**
 * OpenAI strict function calling. The schemas `openAIFunctions` sends with `strict: true` are checked
 * by `strictRuleViolations`, written from the rules of OpenAI's Structured Outputs guide ("Supported
 * schemas") independently of the converter; a strict-mode call (a `null` for every optional field)
 * runs through the pipeline.
 */
import { Operation, PIPELINE_CONTEXT, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import {
  Allow,
  ArrayMaxSize,
  ArrayUnique,
  Description,
  Equals,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  Type,
  ValidateNested,
} from '@aiecs/validation';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { openAIFunctions, openAIStrictSchema, optionalNullsRemover, type JsonObjectSchema } from '../src';
import { createSampleApp } from './sampleApp';

// ---- the rules, as the guide states them ------------------------------------------------------------

/** Keywords strict mode accepts: structure, annotations, and the listed string, number and array constraints. */
const ALLOWED_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'description',
  'title',
  'pattern',
  'format',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'minItems',
  'maxItems',
]);
const ALLOWED_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const ALLOWED_TYPES = new Set(['string', 'number', 'boolean', 'integer', 'object', 'array', 'null']);

type Node = Record<string, any>;

/** Every rule a strict schema breaks, as `path: rule` lines (empty when it obeys them all). */
function strictRuleViolations(root: Node): string[] {
  const problems: string[] = [];
  if (root.type !== 'object') problems.push('<root>: the root must be an object');
  if ('anyOf' in root) problems.push('<root>: the root must not be anyOf');
  let properties = 0;
  let enumValues = 0;
  let text = Object.keys(root.$defs ?? {}).join('').length;
  const visit = (node: Node, at: string): void => {
    for (const keyword of Object.keys(node)) if (!ALLOWED_KEYWORDS.has(keyword)) problems.push(`${at}: unsupported keyword ${keyword}`);
    if ('$defs' in node && node !== root) problems.push(`${at}: $defs only at the root`);
    if (typeof node.$ref === 'string') {
      if (Object.keys(node).length !== 1) problems.push(`${at}: $ref has siblings`);
      if (node.$ref !== '#' && !(node.$ref.slice('#/$defs/'.length) in (root.$defs ?? {}))) problems.push(`${at}: dangling $ref`);
      return;
    }
    const types: string[] = node.type === undefined ? [] : [node.type].flat();
    for (const t of types) if (!ALLOWED_TYPES.has(t)) problems.push(`${at}: type ${t}`);
    if (types.length === 0 && !('enum' in node) && !('const' in node) && !('anyOf' in node)) problems.push(`${at}: no type`);
    if (typeof node.format === 'string' && !ALLOWED_FORMATS.has(node.format)) problems.push(`${at}: format ${node.format}`);
    if ('const' in node) text += JSON.stringify(node.const).length;
    if (Array.isArray(node.enum)) {
      enumValues += node.enum.length;
      text += node.enum.map((v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))).join('').length;
    }
    if (types.includes('object') || 'properties' in node) {
      if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties must be false`);
      const keys = Object.keys(node.properties ?? {});
      properties += keys.length;
      text += keys.join('').length;
      if (JSON.stringify([...(node.required ?? [])].sort()) !== JSON.stringify([...keys].sort()))
        problems.push(`${at}: required must list every property`);
      for (const key of keys) visit(node.properties[key], `${at}.${key}`);
    }
    if (types.includes('array')) {
      if (typeof node.items !== 'object') problems.push(`${at}: an array needs items`);
      else visit(node.items, `${at}[]`);
    }
    if ('anyOf' in node) node.anyOf.forEach((branch: Node, i: number) => visit(branch, `${at}|${i}`));
  };
  visit(root, '<root>');
  for (const [name, def] of Object.entries(root.$defs ?? {})) visit(def as Node, `$defs.${name}`);
  if (properties > 5_000) problems.push(`${properties} properties in all (at most 5000)`);
  if (enumValues > 1_000) problems.push(`${enumValues} enum values (at most 1000)`);
  if (text > 120_000) problems.push(`${text} characters of names and values (at most 120000)`);
  const depth = (node: Node, seen: Set<string>): number => {
    if (typeof node.$ref === 'string') {
      if (node.$ref === '#' || seen.has(node.$ref)) return 0;
      return depth(root.$defs[node.$ref.slice('#/$defs/'.length)], new Set([...seen, node.$ref]));
    }
    const below = [...Object.values(node.properties ?? {}), ...(node.items ? [node.items] : []), ...(node.anyOf ?? [])] as Node[];
    return ('properties' in node ? 1 : 0) + Math.max(0, ...below.map((b) => depth(b, seen)));
  };
  if (depth(root, new Set()) > 10) problems.push('nested more than 10 levels');
  return problems;
}

// ---- a realistic app ------------------------------------------------------------------------------

enum Priority {
  Low = 'low',
  High = 'high',
}

class Address {
  @Description('Street and number') @IsString() street!: string;
  @IsOptional() @IsString() @MaxLength(10) zip?: string;
  @IsOptional() @IsIn(['DE', 'FR', 'US']) country?: string;
}

class Line {
  @IsString() sku!: string;
  @IsInt() @Min(1) @Max(99) quantity!: number;
  @IsOptional() @ValidateNested() @Type(() => Address) deliverTo?: Address;
}

class Parcel {
  @Equals('parcel') kind!: 'parcel';
  @IsInt() @Min(1) weightGrams!: number;
}

class Letter {
  @Equals('letter') kind!: 'letter';
  @IsOptional() @IsBoolean() registered?: boolean;
}

class Shipment {
  kind!: string;
}

class OrderInput {
  @Description('Who ordered') @IsEmail() email!: string;
  @IsUUID('4') orderId!: string;
  @IsOptional() @IsEnum(Priority) priority?: Priority;
  @Description('Where the invoice goes') @IsOptional() @ValidateNested() @Type(() => Address) billing?: Address;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Line) @ArrayMaxSize(20) lines!: Line[];
  @IsOptional() @IsArray() @IsString({ each: true }) @ArrayUnique() tags?: string[];
  @IsOptional() @IsUrl() callback?: string;
  @IsOptional() @Matches(/^[A-Z]{3}$/) currency?: string;
  @ValidateNested()
  @Type(() => Shipment, {
    discriminator: {
      property: 'kind',
      subTypes: [
        { value: Parcel, name: 'parcel' },
        { value: Letter, name: 'letter' },
      ],
    },
    keepDiscriminatorProperty: true,
  })
  shipment!: Parcel | Letter;
}

class FreeFormInput {
  @IsObject() metadata!: Record<string, unknown>;
}

class AnyValueInput {
  @Allow() value!: unknown;
}

@Tool({ name: 'shop', description: 'A shop' })
class ShopTool extends BaseTool {
  received: unknown[] = [];

  @Operation({ description: 'Places an order' })
  @ValidateInput(OrderInput)
  async order(input: OrderInput, ctx = PIPELINE_CONTEXT): Promise<{ lines: number; priority: string; billing: boolean; callId?: string }> {
    this.received.push(input);
    return {
      lines: input.lines.length,
      priority: input.priority === undefined ? 'absent' : input.priority,
      billing: input.billing !== undefined,
      ...(ctx.toolCallId === undefined ? {} : { callId: ctx.toolCallId }),
    };
  }

  @Operation({ description: 'Stores free-form metadata' })
  @ValidateInput(FreeFormInput)
  async annotate(input: FreeFormInput): Promise<number> {
    return Object.keys(input.metadata).length;
  }

  @Operation({ description: 'Echoes anything' })
  @ValidateInput(AnyValueInput)
  async echo(input: AnyValueInput): Promise<unknown> {
    return input.value;
  }

  @Operation({ description: 'No input at all', readOnly: true })
  async ping(): Promise<string> {
    return 'pong';
  }
}

const ajv = addFormats(new Ajv2020({ strict: false, allowUnionTypes: true }));

describe('OpenAI strict function calling', () => {
  it('every tool sent with strict: true obeys the documented rules; the others say why they are not strict', async () => {
    const { app } = createSampleApp(() => [ShopTool]);
    await using _app = app;
    const openai = openAIFunctions(app);
    const strictTools = openai.chatTools.filter((t) => t.function.strict);
    expect(strictTools.map((t) => t.function.name)).toEqual(
      expect.arrayContaining(['calc_sum', 'calc_wait', 'journal_append', 'shop_order']),
    );
    for (const tool of strictTools) {
      expect({ tool: tool.function.name, problems: strictRuleViolations(tool.function.parameters) }).toEqual({
        tool: tool.function.name,
        problems: [],
      });
      ajv.compile(tool.function.parameters); // and it is a valid JSON Schema
    }
    const byName = new Map(openai.strictness.map((s) => [s.name, s]));
    expect(byName.get('shop_annotate')).toMatchObject({ strict: false, reason: expect.stringContaining('free-form keys') });
    expect(byName.get('shop_echo')).toMatchObject({ strict: false, reason: expect.stringContaining('value accepts any value') });
    expect(byName.get('fragile_broken')).toMatchObject({ strict: false }); // no schema: any object
    expect(openai.chatTools.find((t) => t.function.name === 'shop_annotate')!.function.parameters).toMatchObject({
      properties: { metadata: { type: 'object' } },
    });
    // Responses tools carry the same choice.
    expect(openai.responsesTools.map((t) => [t.name, t.strict])).toEqual(openai.chatTools.map((t) => [t.function.name, t.function.strict]));
  });

  it('turns optional fields into required nullable ones, keeps what strict mode supports and reports what it drops', async () => {
    const { app } = createSampleApp(() => [ShopTool]);
    await using _app = app;
    const order = openAIFunctions(app).chatTools.find((t) => t.function.name === 'shop_order')!.function.parameters as Node;
    expect(order.required).toEqual(['email', 'orderId', 'priority', 'billing', 'lines', 'tags', 'callback', 'currency', 'shipment']);
    expect(order.properties.email).toEqual({ type: 'string', format: 'email', description: 'Who ordered' });
    expect(order.properties.priority).toEqual({ anyOf: [{ type: 'string', enum: ['low', 'high'] }, { type: 'null' }] });
    expect(order.properties.billing).toEqual({
      description: 'Where the invoice goes',
      anyOf: [{ $ref: '#/$defs/Address' }, { type: 'null' }],
    });
    expect(order.properties.currency).toEqual({ type: ['string', 'null'], pattern: '^[A-Z]{3}$' });
    expect(order.properties.callback).toEqual({ type: ['string', 'null'] }); // format: uri dropped
    expect(order.properties.shipment.anyOf).toEqual([{ $ref: '#/$defs/Parcel_parcel' }, { $ref: '#/$defs/Letter_letter' }]);
    expect(order.$defs.Letter_letter.properties.kind).toEqual({ type: 'string', const: 'letter' });
    expect(order.$defs.Address.properties.zip).toEqual({ type: ['string', 'null'] });

    const { warnings } = openAIFunctions(app).strictness.find((s) => s.name === 'shop_order')!;
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'callback', keyword: 'format: uri' }),
        expect.objectContaining({ field: 'tags', keyword: 'uniqueItems' }),
        expect.objectContaining({ field: 'Address.zip', keyword: 'maxLength' }),
      ]),
    );
    // The discriminated union is provably exclusive: oneOf → anyOf is not a loss, so not reported.
    expect(warnings.find((w) => w.keyword === 'oneOf')).toBeUndefined();
  });

  it('an input a strict-mode model sends (null for every optional field) is accepted by the strict schema and, once its nulls are removed, by the original one', async () => {
    const { app } = createSampleApp(() => [ShopTool]);
    await using _app = app;
    const openai = openAIFunctions(app);
    const tool = openai.chatTools.find((t) => t.function.name === 'shop_order')!;
    const original = openai.faces.byName('shop_order')!.inputSchema;
    const sent = strictOrder();
    expect(ajv.validate(tool.function.parameters, sent)).toBe(true);
    expect(ajv.validate(original, sent)).toBe(false);
    const removed = optionalNullsRemover(original)(sent);
    expect(ajv.validate(original, removed)).toBe(true);
    expect(removed).not.toBe(sent);
  });

  it('a strict-mode call with null optionals runs through the pipeline as if they were absent, and carries the call id', async () => {
    const { app, counters } = createSampleApp(() => [ShopTool]);
    await using _app = app;
    const openai = openAIFunctions(app);
    const sent = strictOrder();
    const snapshot = structuredClone(sent);
    const answer = await openai.answer({
      id: 'call_9',
      type: 'function',
      function: { name: 'shop_order', arguments: JSON.stringify(sent) },
    });
    expect(answer.outcome).toMatchObject({ isError: false, value: { lines: 2, priority: 'absent', billing: false, callId: 'call_9' } });
    const shop = app.tool('shop') as unknown as ShopTool;
    const received = shop.received[0] as Record<string, any>;
    // (Schema class instances declare every field, so an absent one reads as undefined, never null.)
    for (const key of ['priority', 'billing', 'tags', 'callback', 'currency']) expect(received[key]).toBeUndefined();
    expect(received.lines[0].deliverTo).toBeUndefined();
    expect(received.lines[1].deliverTo.zip).toBeUndefined();
    expect(received.lines[1].deliverTo.street).toBe('Main St 1');
    expect(received.shipment.registered).toBeUndefined();

    // Passed as an object (not JSON text), the caller's object is left as it was.
    await openai.answer({ type: 'function_call', call_id: 'fc_1', name: 'shop_order', arguments: JSON.stringify(sent) });
    expect(sent).toEqual(snapshot);

    // A null on a required field is still refused, by the pipeline, field by field.
    const refused = await openai.answer({
      id: 'call_10',
      type: 'function',
      function: { name: 'shop_order', arguments: JSON.stringify({ ...sent, email: null }) },
    });
    expect(refused.outcome.isError).toBe(true);
    expect(refused.chatMessage.content).toContain('- email: expected email must be an email; received null');

    // calc.sum's optional label as null: the cached result is the one of a call without it.
    await openai.answer(
      { id: 'a', type: 'function', function: { name: 'calc_sum', arguments: '{"values":[1],"label":null}' } },
      { userId: 'u' },
    );
    const again = await openai.answer(
      { id: 'b', type: 'function', function: { name: 'calc_sum', arguments: '{"values":[1]}' } },
      { userId: 'u' },
    );
    expect(again.chatMessage.content).toBe('{"total":1}');
    expect(counters.sumRuns.get('u')).toBe(1);
  });

  it('a Standard Schema tool (zod): optional and defaulted fields sent as null reach zod absent, so its default applies', async () => {
    @Tool({ name: 'greet', description: 'Greets' })
    class GreetTool extends BaseTool {
      @Operation({ readOnly: true })
      @ValidateInput(z.object({ name: z.string().min(1), times: z.number().int().positive().default(2), note: z.string().optional() }))
      async hello(input: { name: string; times: number; note?: string }): Promise<string> {
        return `${'hello '.repeat(input.times)}${input.name}${input.note === undefined ? '' : ` (${input.note})`}`;
      }
    }
    const { app } = createSampleApp(() => [GreetTool]);
    await using _app = app;
    const openai = openAIFunctions(app);
    const tool = openai.chatTools.find((t) => t.function.name === 'greet_hello')!;
    expect(tool.function.strict).toBe(true);
    expect(strictRuleViolations(tool.function.parameters)).toEqual([]);
    expect(tool.function.parameters).toMatchObject({ required: ['name', 'times', 'note'], additionalProperties: false });
    const answer = await openai.answer({
      id: 'g1',
      type: 'function',
      function: { name: 'greet_hello', arguments: '{"name":"ann","times":null,"note":null}' },
    });
    expect(answer.chatMessage.content).toBe('hello hello ann');
  });

  it('strict: false sends every schema as generated', async () => {
    const { app } = createSampleApp(() => [ShopTool]);
    await using _app = app;
    const openai = openAIFunctions(app, { strict: false });
    expect(openai.chatTools.every((t) => t.function.strict === false)).toBe(true);
    expect(openai.chatTools.find((t) => t.function.name === 'calc_sum')!.function.parameters).toBe(
      openai.faces.byName('calc_sum')!.inputSchema,
    );
    expect(openai.strictness.every((s) => s.reason === 'strict mode is turned off')).toBe(true);
  });

  it('a schema over the size limits, or a union at the root, is not strict', () => {
    const wide: JsonObjectSchema = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 5_001 }, (_, i) => [`f${i}`, { type: 'string' }])),
      additionalProperties: false,
    };
    expect(openAIStrictSchema(wide)).toMatchObject({ strict: false, reason: expect.stringContaining('5001 object properties') });
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 11; i++) deep = { type: 'object', properties: { next: deep }, required: ['next'], additionalProperties: false };
    expect(openAIStrictSchema(deep as JsonObjectSchema)).toMatchObject({ strict: false, reason: expect.stringContaining('11 levels') });
    const union = { type: 'object', oneOf: [{ properties: { a: { type: 'string' } } }] } as JsonObjectSchema;
    expect(openAIStrictSchema(union)).toMatchObject({ strict: false, reason: expect.stringContaining('root') });
    const recursive: JsonObjectSchema = {
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['name', 'children'],
      additionalProperties: false,
    };
    const tree = openAIStrictSchema(recursive);
    expect(tree.strict).toBe(true);
    expect(tree.strict && strictRuleViolations(tree.schema)).toEqual([]);
  });
});

/** An order as a strict-mode model sends it: every field present, `null` for each optional one, at every depth. */
function strictOrder(): Record<string, unknown> {
  return {
    email: 'ann@example.com',
    orderId: '3f2b8c4e-1d2a-4b7c-9e8f-0a1b2c3d4e5f',
    priority: null,
    billing: null,
    lines: [
      { sku: 'A-1', quantity: 2, deliverTo: null },
      { sku: 'B-2', quantity: 1, deliverTo: { street: 'Main St 1', zip: null, country: 'DE' } },
    ],
    tags: null,
    callback: null,
    currency: null,
    shipment: { kind: 'letter', registered: null },
  };
}
