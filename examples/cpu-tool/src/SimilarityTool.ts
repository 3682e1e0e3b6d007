// A realistic CPU-bound tool: trigram similarity search over a corpus it generates. The search body runs on a
// worker thread (@RunInExecutor); validation, timeout and events stay on the main thread.
import { Operation, PIPELINE_CONTEXT, RunInExecutor, Timeout, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool, type ToolConfigInput } from '@aiecs/executor';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from '@aiecs/validation';
import { threadId } from 'node:worker_threads';

export class SearchInput {
  @IsString() @MaxLength(200) query!: string;
  @IsOptional() @IsInt() @Min(1) @Max(20) top?: number;
}

export interface Hit {
  readonly id: number;
  readonly score: number;
  readonly text: string;
}

export interface SearchResult {
  readonly hits: readonly Hit[];
  readonly scanned: number;
  /** The thread that ran the search (0 is the main thread). */
  readonly threadId: number;
}

/** Tool options: the corpus is generated from them, so a worker builds the same one. */
export interface SimilarityOptions extends ToolConfigInput {
  readonly corpusSize?: number;
  readonly seed?: number;
}

const WORDS = (
  'worker thread pool event loop timeout retry cache schema validation decorator pipeline tool agent ' +
  'model prompt token latency throughput queue signal abort crash memory clone error class module import export ' +
  'search index corpus vector score rank query document parse hash stream buffer socket server client'
).split(' ');

/** Deterministic PRNG (mulberry32): the same seed gives the same corpus on every thread. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text.toLowerCase()} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / (a.size + b.size - shared);
}

@Tool({ name: 'similarity', description: 'Finds the documents of a generated corpus most similar to a query' })
export class SimilarityTool extends BaseTool {
  private corpus: { readonly texts: readonly string[]; readonly grams: readonly Set<string>[] } | undefined;

  constructor(private readonly options: SimilarityOptions = {}) {
    super(options);
  }

  @Operation({ description: 'Trigram (Jaccard) similarity search; CPU-bound', readOnly: true })
  @RunInExecutor()
  @ValidateInput(SearchInput)
  @Timeout(20_000)
  async search(input: SearchInput, ctx = PIPELINE_CONTEXT): Promise<SearchResult> {
    const corpus = this.documents();
    const query = trigrams(input.query);
    const hits: Hit[] = [];
    for (let id = 0; id < corpus.texts.length; id++) {
      // A cooperative check every 1,000 documents (the signal is aborted when the caller gives up).
      if (id % 1000 === 0 && ctx.signal.aborted) throw ctx.signal.reason;
      hits.push({ id, score: jaccard(query, corpus.grams[id]!), text: corpus.texts[id]! });
    }
    hits.sort((a, b) => b.score - a.score);
    return { hits: hits.slice(0, input.top ?? 3), scanned: corpus.texts.length, threadId };
  }

  @Operation({ description: 'Answers at once, on the main thread', readOnly: true })
  async ping(): Promise<{ at: number; threadId: number }> {
    return { at: Date.now(), threadId };
  }

  /** Built once per instance (so once per worker): the corpus and each document's trigrams. */
  private documents(): NonNullable<SimilarityTool['corpus']> {
    if (this.corpus === undefined) {
      const next = random(this.options.seed ?? 42);
      const texts = Array.from({ length: this.options.corpusSize ?? 20_000 }, () =>
        Array.from({ length: 12 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' '),
      );
      this.corpus = { texts, grams: texts.map(trigrams) };
    }
    return this.corpus;
  }
}
