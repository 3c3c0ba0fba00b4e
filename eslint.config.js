// Flat config: type-aware rules where they catch real bugs (floating promises), and
// import/no-cycle to keep the layers of DESIGN.md §2 acyclic. The TypeScript resolver maps the
// `.js` specifiers of ESM imports to their `.ts` sources; without it the cycle rule sees nothing.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'shims/**', 'bin/**', 'scripts/**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
    },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import/resolver': { typescript: { project: ['./tsconfig.json', './ui/tsconfig.json'] } },
    },
  },
);
