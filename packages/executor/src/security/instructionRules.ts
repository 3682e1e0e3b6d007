import type { SecurityRule } from '@aiecs/core';

/**
 * Instruction-like content in tool *output*: text a fetched page or file can carry to steer the model that
 * reads the result ("prompt injection"). Three families, each a linear regular expression run on the NFKC
 * form of the text (a space in a phrase matches any run of blanks, line breaks included):
 * - chat-template and role markers: `<|im_start|>`, `<|system|>`, `<|start_header_id|>`, `[INST]`, `<<SYS>>`,
 *   `<system>` / `</assistant>` tags, `### System:` headings, `<|endoftext|>`;
 * - override phrases: "ignore / disregard / forget (all) (the) previous / prior / above instructions",
 *   "override the system prompt", "new instructions:", "you are now in developer mode", "from now on you are …";
 * - exfiltration asks aimed at the model: "reveal / print your system prompt".
 * This is detection, not proof: a page *about* prompt injection matches too, which is why the default action
 * only reports.
 */

interface InstructionRule extends SecurityRule {
  readonly id: string;
}

/** A phrase pattern whose spaces match any run of blanks, line breaks included. */
const phrase = (pattern: RegExp): RegExp => new RegExp(pattern.source.replace(/ /g, '\\s+'), pattern.flags);

const RULES: ReadonlyArray<readonly [check: string, reason: string, pattern: RegExp]> = [
  [
    'chatTemplate',
    'a chat-template control token (<|im_start|>, [INST], <<SYS>>, …)',
    /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|begin_of_text|start_header_id|end_header_id|eot_id)\|>|\[\/?INST\]|<<\/?SYS>>/i,
  ],
  ['roleTag', 'a role tag such as <system> or </assistant>', /<\s*\/?\s*(?:system|assistant|developer|tool_call|im_system)\s*>/i],
  ['roleHeading', 'a role heading such as "### System:"', /(?:^|\n)\s*#{1,6} ?(?:system|assistant|instruction|instructions)\s*:/i],
  [
    'ignorePrevious',
    'an instruction to ignore or replace the previous instructions',
    phrase(
      /\b(?:ignore|disregard|forget|override|bypass|skip)(?: (?:all|any|every)(?: of)?)?(?: (?:the|your|my|these|those))? (?:previous|prior|preceding|above|earlier|original|system|initial)(?: \w+)? (?:instructions?|prompts?|directions?|rules|guidelines|messages?|context)\b/i,
    ),
  ],
  [
    'newInstructions',
    'a "new instructions" or "system prompt" announcement',
    phrase(/\b(?:new|updated|real|actual) (?:system )?instructions?\s*:|\bsystem prompt\s*:/i),
  ],
  [
    'rolePlayOverride',
    'an attempt to give the model a new role or mode',
    phrase(
      /\byou are now (?:in )?(?:dan|developer mode|jailbroken|unrestricted|an? (?:unfiltered|unrestricted))\b|\bfrom now on,? you (?:are|will|must)\b/i,
    ),
  ],
  [
    'revealPrompt',
    'a request to reveal the system prompt',
    phrase(/\b(?:reveal|print|show|repeat|output|leak) (?:me )?(?:your|the) (?:system|hidden|initial) (?:prompt|instructions)\b/i),
  ],
];

const NON_ASCII = /[^\x00-\x7f]/;

/** The text the rules read: NFKC (full-width and compatibility forms) when it has non-ASCII characters. */
export function screenText(value: string): string {
  return NON_ASCII.test(value) ? value.normalize('NFKC') : value;
}

/** The instruction rules; `matches` expects `screenText` output. */
export const INSTRUCTION_RULES: readonly InstructionRule[] = Object.freeze(
  RULES.map(([check, reason, pattern]) =>
    Object.freeze({ name: 'promptInjection', id: `promptInjection.${check}`, reason, matches: (value: string) => pattern.test(value) }),
  ),
);

/** A necessary condition of every instruction rule (checked on the raw text first, so most results cost one scan). */
export const INSTRUCTION_GATE =
  /[<[#|:]|ignore|disregard|forget|override|bypass|skip|you are now|from now on|reveal|print|show|repeat|output|leak/i;

/** The first instruction rule `value` matches, or undefined. */
export function findInstruction(value: string): InstructionRule | undefined {
  if (!INSTRUCTION_GATE.test(value) && !NON_ASCII.test(value)) return undefined;
  const text = screenText(value);
  return INSTRUCTION_RULES.find((rule) => rule.matches(text));
}
