import { Command } from 'commander';
import type { BackendRequest } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { loadMnistSplitWithHint } from '../data-hint';
import { evaluate, examplesFromDigits, type Evaluation } from '@lenet/training';
import { setUpBackend } from '../backend-setup';
import { UsageError } from '../errors';
import { backendOption, dataOption, jsonOption, limitOption, modelOption } from '../cli-options';

interface TestFlags {
  data: string;
  model?: string;
  json?: boolean;
  limit?: number;
  backend: BackendRequest;
}

function table(result: Evaluation, classNames: string[] | undefined): string[] {
  const header = `true\\pred ${Array.from({ length: 10 }, (_, i) => String(i).padStart(5)).join('')}   accuracy`;
  const rows = result.confusion.map((row, digit) => {
    const accuracy = result.perClass[digit];
    const name = classNames?.[digit] === undefined ? '' : `  ${classNames[digit]}`;
    return `${String(digit).padStart(9)} ${row.map((n) => String(n).padStart(5)).join('')}   ${accuracy == null ? '-' : `${(accuracy * 100).toFixed(2)}%`}${name}`;
  });
  return [header, ...rows];
}

async function runTest(flags: TestFlags): Promise<void> {
  if (flags.model === undefined) {
    throw new UsageError('--model is required: pass a checkpoint folder (such as output/checkpoint) or its model.json');
  }
  // With --json, stdout carries only the JSON object; the backend line goes to stderr.
  const print = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const choice = await setUpBackend(flags.backend, print);
  const { model, metadata, modelJsonPath, weightsHash } = await loadCheckpoint(flags.model);
  const split = await loadMnistSplitWithHint(
    flags.data,
    'test',
    flags.limit === undefined ? {} : { limit: flags.limit },
  );
  const result = evaluate(model, examplesFromDigits(split.images, split.labels));
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        accuracy: result.accuracy,
        loss: result.loss,
        count: result.count,
        per_class: result.perClass,
        // The names of classes 0..9, index for index with per_class, when the checkpoint carries them.
        ...(metadata?.classNames === undefined ? {} : { labels: metadata.classNames }),
        confusion: result.confusion,
        model: modelJsonPath,
        epoch: metadata?.epoch ?? null,
        weights_hash: weightsHash,
        data: flags.data,
        backend: choice.name,
      })}\n`,
    );
    return;
  }
  print(`model: ${modelJsonPath}${metadata ? ` (epoch ${metadata.epoch})` : ''}`);
  print(`test files: ${split.imagesFile}, ${split.labelsFile}`);
  for (const line of table(result, metadata?.classNames)) print(line);
  print(
    `accuracy ${(result.accuracy * 100).toFixed(2)}% (${Math.round(result.accuracy * result.count)}/${result.count})  loss ${result.loss.toFixed(4)}`,
  );
}

/** `lenet test`. */
export function testCommand(): Command {
  return new Command('test')
    .description('accuracy, loss, per-class accuracy and confusion matrix of a checkpoint on the test files in --data')
    .addOption(dataOption('folder with the t10k- images and labels IDX files'))
    .addOption(modelOption())
    .addOption(jsonOption('print one JSON object: accuracy, loss, per_class, confusion, ...'))
    .addOption(limitOption('test'))
    .addOption(backendOption())
    .action((flags: TestFlags) => runTest(flags));
}
