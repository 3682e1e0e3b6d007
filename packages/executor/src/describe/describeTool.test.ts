import { Operation, PIPELINE_CONTEXT, ValidateInput } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { z } from 'zod';
import { BaseTool } from '../BaseTool';
import { describeTool } from './describeTool';

class PathInput {
  @IsString() path!: string;
}

class DescribedTool extends BaseTool {
  @Operation({ description: 'Reads', readOnly: true })
  @ValidateInput(PathInput)
  async read(input: PathInput, _ctx = PIPELINE_CONTEXT): Promise<string> {
    return input.path;
  }

  @ValidateInput(PathInput, { forbidUnknown: false })
  async lenient(input: PathInput, _ctx = PIPELINE_CONTEXT): Promise<string> {
    return input.path;
  }

  @ValidateInput(z.strictObject({ name: z.string() }))
  async greet(input: { name: string }, _ctx = PIPELINE_CONTEXT): Promise<string> {
    return input.name;
  }

  async ping(): Promise<string> {
    return 'pong';
  }
}

describe('OperationDescriptor.inputJsonSchema', () => {
  const byName = (name: string) => describeTool(DescribedTool).operations.find((op) => op.name === name)!;

  it("is the input's JSON Schema, computed once and kept", () => {
    const read = byName('read');
    const first = read.inputJsonSchema;
    expect(first?.schema).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
      additionalProperties: false,
    });
    expect(read.inputJsonSchema).toBe(first);
    expect(describeTool(DescribedTool).operations.find((op) => op.name === 'read')!.inputJsonSchema).toBe(first);
  });

  it("follows the operation's forbidUnknown, takes Standard Schemas, and is undefined without a schema", () => {
    expect(byName('lenient').inputJsonSchema?.schema).not.toHaveProperty('additionalProperties');
    expect(byName('greet').inputJsonSchema?.schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' } },
      additionalProperties: false,
    });
    expect(byName('ping').inputJsonSchema).toBeUndefined();
  });

  it('is not enumerable: spreading or serialising a descriptor does not build it', () => {
    expect(Object.keys(byName('read'))).not.toContain('inputJsonSchema');
    expect(JSON.parse(JSON.stringify({ ...byName('greet'), inputSchema: undefined }))).not.toHaveProperty('inputJsonSchema');
  });
});
