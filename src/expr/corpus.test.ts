// Expressions taken verbatim from the Argo examples corpus, with the env Argo would build.
import { describe, expect, it } from 'vitest';
import { evaluateExpr, evaluateWhen, expandVars, substitute } from './index.js';

describe('corpus: {{= }} tags', () => {
  it('expression-tag-template-workflow', () => {
    expect(substitute('{{=toJson(filter([1, 3], {# > 1}))}}', {})).toBe('[3]');
    expect(substitute('{{=item}}', {}, { exprEnv: { item: 3 } })).toBe('3');
    const vars = { 'inputs.parameters.foo': '3', 'workflow.creationTimestamp': '2024-05-06T07:08:09Z' };
    const arg = "hello {{=asInt(inputs.parameters.foo) * 10}} @ {{=sprig.date('2006', workflow.creationTimestamp)}}\n";
    expect(substitute(arg, vars)).toBe('hello 30 @ 2024\n');
  });

  it('expression-destructure-json', () => {
    const vars = { 'workflow.parameters.config': '{"a": "1", "b": "2", "c": "3"}' };
    expect(substitute("{{=jsonpath(workflow.parameters.config, '$.a')}}", vars)).toBe('1');
    expect(substitute("{{=jsonpath(workflow.parameters.config, '$.b')}}", vars)).toBe('2');
    expect(substitute("{{=jsonpath(workflow.parameters.config, '$.c')}}", vars)).toBe('3');
  });

  it('expression-destructure-json-complex', () => {
    const vars = {
      'workflow.parameters.config': '{"employees": [{"name": "Baris", "age":43},{"name": "Mo", "age": 42}, {"name": "Jai", "age" :44}]}',
    };
    const run = (path: string): string => substitute(`{{=jsonpath(workflow.parameters.config, '${path}')}}`, vars);
    expect(run('$.employees[?(@.name=="Baris")].age')).toBe('[43]');
    expect(run('$.employees[?(@.age>42 && @.age<44)].age')).toBe('[43]');
    expect(run('$.employees[0:1]')).toBe('[{"age":43,"name":"Baris"}]');
    expect(run('$.employees[*].name')).toBe('["Baris","Mo","Jai"]');
  });

  it('expression-reusing-verbose-snippets', () => {
    const vars = { 'workflow.parameters.weather': '{"weekWeather": "eyJ0ZW1wcyI6IFszNCwgMjcsIDE1LCA1NywgNDZdfQo="}' };
    // The YAML `>-` block exactly as the parser hands it over.
    const value =
      "{{=\n  map([\n      jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')\n    ], {\n      toJson({\n        avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5,\n        min: sprig.min(#[0], #[1], #[2], #[3], #[4]),\n        max: sprig.max(#[0], #[1], #[2], #[3], #[4])\n      })\n  })[0]\n}}";
    const weekTemps = substitute(value, vars);
    expect(weekTemps).toBe('{"avg":35.8,"max":57,"min":15}');
    const inner = { 'inputs.parameters.week-temps': weekTemps };
    expect(substitute("{{=jsonpath(inputs.parameters['week-temps'], '$.avg')}}", inner)).toBe('35.8');
    expect(substitute("{{=jsonpath(inputs.parameters['week-temps'], '$.min')}}", inner)).toBe('15');
    expect(substitute("{{=jsonpath(inputs.parameters['week-temps'], '$.max')}}", inner)).toBe('57');
  });
});

describe('corpus: when', () => {
  const when = (text: string, vars: Record<string, string>, exprEnv?: Record<string, unknown>): boolean =>
    evaluateWhen(substitute(text, vars, exprEnv ? { exprEnv } : {}));

  it('conditionals (govaluate and expr forms)', () => {
    const vars = {
      'inputs.parameters.should-print': 'true',
      'workflow.parameters.json': '[{"value": "true"}]',
    };
    expect(when('{{inputs.parameters.should-print}} == true', vars)).toBe(true);
    expect(when('{{= inputs.parameters["should-print"] == \'true\'}}', vars)).toBe(true);
    expect(when("{{=jsonpath(workflow.parameters.json, '$[0].value') == 'true'}}", vars)).toBe(true);
    const no = { ...vars, 'inputs.parameters.should-print': 'false', 'workflow.parameters.json': '[{"value": "no"}]' };
    expect(when('{{inputs.parameters.should-print}} == true', no)).toBe(false);
    expect(when('{{= inputs.parameters["should-print"] == \'true\'}}', no)).toBe(false);
    expect(when("{{=jsonpath(workflow.parameters.json, '$[0].value') == 'true'}}", no)).toBe(false);
  });

  it('coinflip and conditionals-complex', () => {
    const vars = { 'steps.flip-coin.outputs.result': 'heads', 'steps.flip-again.outputs.result': 'tails', 'tasks.flip-coin.outputs.result': 'tails' };
    expect(when('{{steps.flip-coin.outputs.result}} == heads', vars)).toBe(true);
    expect(when('{{steps.flip-coin.outputs.result}} == tails', vars)).toBe(false);
    expect(when('{{tasks.flip-coin.outputs.result}} == tails', vars)).toBe(true);
    expect(when('{{steps.flip-again.outputs.result}} =~ hea', vars)).toBe(false);
    expect(when('{{steps.flip-again.outputs.result}} =~ tai', vars)).toBe(true);
    const complex =
      '( {{steps.flip-coin.outputs.result}} == heads &&\n  {{steps.flip-again.outputs.result}} == tails\n) || ( {{steps.flip-coin.outputs.result}} == tails &&\n  {{steps.flip-again.outputs.result}} == tails )';
    expect(when(complex, vars)).toBe(true);
  });

  it('loops, recursion and statuses', () => {
    expect(when('{{item.evenness}} == even', { 'item.evenness': 'even' })).toBe(true);
    expect(when('{{item.evenness}} == even', { 'item.evenness': 'odd' })).toBe(false);
    expect(when('{{inputs.parameters.num-1}} != 1 && {{inputs.parameters.num-1}} != 2', { 'inputs.parameters.num-1': '4' })).toBe(true);
    expect(when('{{inputs.parameters.num}} != 1 && {{inputs.parameters.num}} != 2', { 'inputs.parameters.num': '2' })).toBe(false);
    expect(when('{{steps.iterate-counter.outputs.result}} < {{inputs.parameters.limit}}', { 'steps.iterate-counter.outputs.result': '3', 'inputs.parameters.limit': '10' })).toBe(true);
    expect(when('{{status}} == Succeeded', { status: 'Succeeded' })).toBe(true);
    expect(when('{{steps.flakey-container.status}} == Failed', { 'steps.flakey-container.status': 'Succeeded' })).toBe(false);
    expect(when('{{steps.submit-resource.status}} == Failed', { 'steps.submit-resource.status': 'Failed' })).toBe(true);
    expect(when('{{workflow.status}} != Succeeded', { 'workflow.status': 'Failed' })).toBe(true);
    expect(when('{{steps.approval.outputs.parameters.approve}} == YES', { 'steps.approval.outputs.parameters.approve': 'YES' })).toBe(true);
    expect(when('false', {})).toBe(false);
  });

  it('cron-when', () => {
    const text = '{{= cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() > 360 }}';
    const minutesAgo = (m: number): Date => new Date(new Date().getTime() - m * 60_000);
    expect(when(text, {}, { cronworkflow: { lastScheduledTime: null } })).toBe(true);
    expect(when(text, {}, { cronworkflow: { lastScheduledTime: minutesAgo(60) } })).toBe(true);
    expect(when(text, {}, { cronworkflow: { lastScheduledTime: minutesAgo(1) } })).toBe(false);
  });
});

describe('corpus: raw expression fields', () => {
  it('retry-conditional retryStrategy.expression', () => {
    const source = substitute(
      'asInt(lastRetry.exitCode) > 1 && lastRetry.status != "Error" && asInt(lastRetry.duration) < 120 && ({{inputs.parameters.safe-to-retry}} == true || lastRetry.message matches \'imminent node shutdown|pod deleted\')',
      { 'inputs.parameters.safe-to-retry': 'false' },
    );
    const env = (exitCode: string, message: string): Record<string, unknown> =>
      expandVars({ 'lastRetry.exitCode': exitCode, 'lastRetry.status': 'Failed', 'lastRetry.duration': '12', 'lastRetry.message': message });
    expect(evaluateExpr(source, env('2', 'pod deleted'))).toBe(true);
    expect(evaluateExpr(source, env('2', 'OOMKilled'))).toBe(false);
    expect(evaluateExpr(source, env('1', 'pod deleted'))).toBe(false);
  });

  it('fibonacci valueFrom.expression', () => {
    const source = "asInt(inputs.parameters.num) == 1? 1: asInt(inputs.parameters.num) == 2? 1: steps['fibonacci-helper'].outputs.parameters.result";
    const env = (num: string): Record<string, unknown> =>
      expandVars({ 'inputs.parameters.num': num, 'steps.fibonacci-helper.outputs.parameters.result': '5' });
    expect(evaluateExpr(source, env('1'))).toBe(1);
    expect(evaluateExpr(source, env('2'))).toBe(1);
    expect(evaluateExpr(source, env('5'))).toBe('5');
  });

  it('conditional outputs (steps and tasks, parameters and artifacts)', () => {
    const env = (coin: string): Record<string, unknown> => ({
      ...expandVars({
        'steps.flip-coin.outputs.result': coin,
        'steps.heads.outputs.result': 'it was heads',
        'steps.tails.outputs.result': 'it was tails',
        'tasks.flip-coin.outputs.result': coin,
        'tasks.heads.outputs.result': 'H',
        'tasks.tails.outputs.result': 'T',
      }),
    });
    expect(evaluateExpr("steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.result : steps.tails.outputs.result", env('heads'))).toBe('it was heads');
    expect(evaluateExpr("tasks['flip-coin'].outputs.result == 'heads' ? tasks.heads.outputs.result : tasks.tails.outputs.result", env('tails'))).toBe('T');
    const artifacts = { steps: { 'flip-coin': { outputs: { result: 'tails' } }, heads: { outputs: { artifacts: { result: { name: 'h' } } } }, tails: { outputs: { artifacts: { result: { name: 't' } } } } } };
    expect(evaluateExpr("steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.artifacts.result : steps.tails.outputs.artifacts.result", artifacts)).toEqual({ name: 't' });
  });

  it('expression-fallback: ?? over a skipped producer', () => {
    const env = expandVars({ 'tasks.producer.status': 'Skipped', 'tasks.producer.id': 'x-1' });
    expect(evaluateExpr("tasks.producer.outputs.parameters.msg ?? 'expr-fallback'", env)).toBe('expr-fallback');
    const ran = expandVars({ 'tasks.producer.outputs.parameters.msg': '' });
    expect(evaluateExpr("tasks.producer.outputs.parameters.msg ?? 'expr-fallback'", ran)).toBe('');
  });

  it('lifecycle hook expressions', () => {
    const env = expandVars({ 'steps.step2.status': 'Running', 'steps.step-1.status': 'Succeeded', 'workflow.status': 'Running', 'workflow.parameters.foo': 'bar' });
    expect(evaluateExpr('steps.step2.status == "Running"', env)).toBe(true);
    expect(evaluateExpr('steps.step2.status == "Succeeded"', env)).toBe(false);
    expect(evaluateExpr('steps["step-1"].status == "Succeeded"', env)).toBe(true);
    expect(evaluateExpr('steps["step-1"].status == "Running"', env)).toBe(false);
    expect(evaluateExpr('workflow.status == "Running"', env)).toBe(true);
    expect(evaluateExpr('workflow.parameters.foo', env)).toBe('bar');
  });

  it('data-transformations', () => {
    const data = ['foo/main.log', 'bar/main.log', 'baz/other.log'];
    expect(evaluateExpr('filter(data, {# endsWith "main.log"})', { data })).toEqual(['foo/main.log', 'bar/main.log']);
  });

  it('http successCondition', () => {
    const env = { response: { statusCode: 201, body: 'search google here', headers: { Server: ['cloudflare'] } } };
    expect(evaluateExpr('response.body contains "google"', env)).toBe(true);
    expect(evaluateExpr('response.headers["Server"][0] == "cloudflare"', env)).toBe(true);
    expect(evaluateExpr('response.statusCode == 201', env)).toBe(true);
  });

  it('depends, after the engine expands task names into results', () => {
    const result = (s: string): Record<string, boolean> => ({ Succeeded: s === 'Succeeded', Failed: s === 'Failed', Skipped: s === 'Skipped', Errored: false, Daemoned: false });
    const env = { A: result('Succeeded'), B: result('Failed'), C: result('Failed'), should_execute_2: result('Succeeded'), should_not_execute: result('Skipped'), producer: result('Skipped') };
    expect(evaluateExpr('A.Succeeded && (C.Succeeded || C.Failed)', env)).toBe(true);
    expect(evaluateExpr('B.Failed && C.Succeeded', env)).toBe(false);
    expect(evaluateExpr('B.Succeeded || C.Succeeded', env)).toBe(false);
    expect(evaluateExpr('producer.Succeeded || producer.Skipped', env)).toBe(true);
    expect(evaluateExpr('should_execute_2.Succeeded || should_not_execute.Succeeded', env)).toBe(true);
  });
});
