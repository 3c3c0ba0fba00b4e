// The swagger validator itself: the endpoint tests lean on it, so it must catch what it claims to.
import { describe, expect, it } from 'vitest';
import { SWAGGER_PATH, validate, type Swagger } from './test-helpers/swagger-validate.js';
import { swagger } from './test-helpers/api.js';

const tiny: Swagger = {
  definitions: {
    Thing: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        count: { type: 'integer' },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        child: { $ref: '#/definitions/Thing' },
        port: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
        free: { type: 'object' },
        any: { $ref: '#/definitions/Any' },
      },
    },
    Any: {},
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string' },
  },
};

describe('swagger validator', () => {
  it('accepts a conforming value, with free-form and untyped parts', () => {
    const value = { name: 'a', count: 2, at: '2024-01-01T00:00:00Z', tags: ['x'], labels: { a: 'b' }, child: { name: 'b' }, port: 80, free: { anything: [1] }, any: [{ x: 1 }] };
    expect(validate(tiny, value, 'Thing')).toEqual([]);
  });

  it('reports unknown fields, wrong types, missing required fields and bad times, with paths', () => {
    const value = { count: 1.5, at: 'noon', tags: [1], labels: { a: 2 }, child: { name: 'b', extra: true }, port: true, oops: 1 };
    expect(validate(tiny, value, 'Thing')).toEqual([
      '$: missing required "name" (Thing)',
      '$.count: expected integer, got number 1.5',
      '$.at: expected an RFC 3339 time, got "noon"',
      '$.tags[0]: expected string, got number 1',
      '$.labels.a: expected string, got number 2',
      '$.child.extra: "extra" is not a field of Thing',
      '$.port: expected string or integer (io.k8s.apimachinery.pkg.util.intstr.IntOrString), got boolean true',
      '$.oops: "oops" is not a field of Thing',
    ]);
  });

  // Without the file, every conforms() in the endpoint tests is a no-op: say so where it shows.
  if (swagger === undefined) it.skip(`skipped: Argo's swagger.json is not at ${SWAGGER_PATH}, so responses are not checked against it`, () => undefined);

  it.runIf(swagger !== undefined)("catches a field Argo's Workflow does not have", () => {
    const wf = { metadata: { name: 'a' }, spec: { entrypoint: 'main' }, status: { phase: 'Running', argotOnly: 1 } };
    expect(validate(swagger as Swagger, wf, 'io.argoproj.workflow.v1alpha1.Workflow')).toEqual([
      '$.status.argotOnly: "argotOnly" is not a field of io.argoproj.workflow.v1alpha1.WorkflowStatus',
    ]);
  });
});
