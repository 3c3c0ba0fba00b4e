// Syntax tree of expr-lang expressions. `pos` is the source offset used in error messages.

export type Node =
  | { kind: 'literal'; value: unknown; pos: number }
  | { kind: 'ident'; name: string; pos: number }
  /** `#`, `#index`, `#acc` inside a closure; name '' is the current element. */
  | { kind: 'pointer'; name: string; pos: number }
  | { kind: 'unary'; op: string; operand: Node; pos: number }
  | { kind: 'binary'; op: string; left: Node; right: Node; pos: number }
  | { kind: 'member'; object: Node; property: Node; optional: boolean; pos: number }
  | { kind: 'slice'; object: Node; from?: Node; to?: Node; pos: number }
  | { kind: 'call'; callee: Node; args: Node[]; pos: number }
  | { kind: 'closure'; body: Node; pos: number }
  | { kind: 'conditional'; cond: Node; then: Node; else: Node; pos: number }
  | { kind: 'array'; items: Node[]; pos: number }
  | { kind: 'map'; entries: { key: Node; value: Node }[]; pos: number }
  | { kind: 'let'; name: string; value: Node; body: Node; pos: number }
  /** Bounds an optional chain: a nil before `?.` makes the whole chain nil. */
  | { kind: 'chain'; node: Node; pos: number };

export type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;

/**
 * The dotted variable a member chain names, e.g. `steps['flip-coin'].outputs.result` ->
 * "steps.flip-coin.outputs.result"; undefined when any step is computed.
 */
export function staticPath(node: Node): string | undefined {
  switch (node.kind) {
    case 'ident':
      return node.name;
    case 'chain':
      return staticPath(node.node);
    case 'member': {
      const base = staticPath(node.object);
      const prop = node.property;
      if (base === undefined || prop.kind !== 'literal' || typeof prop.value !== 'string') return undefined;
      return `${base}.${prop.value}`;
    }
    default:
      return undefined;
  }
}
