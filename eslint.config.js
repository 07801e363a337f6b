import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Module boundaries: each vendor sits behind one folder, and the client only borrows server types. */
const boundaries = {
  ltijs: { name: 'ltijs', message: 'Only src/lti/ imports ltijs.' },
  livekitSdk: { name: 'livekit-server-sdk', message: 'Only src/livekit/ imports livekit-server-sdk.' },
  express: { name: 'express', message: 'Domain modules never import express; keep HTTP in src/http/ and src/app.ts.' },
  mongoose: {
    name: 'mongoose',
    message: 'Only src/db/ imports mongoose; declare a store interface and implement it there.',
  },
};

const restrict = (...paths) => ({ 'no-restricted-imports': ['error', { paths }] });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'test-results/', 'client/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lti/**', 'src/livekit/**', 'src/db/**'],
    rules: restrict(boundaries.ltijs, boundaries.livekitSdk, boundaries.mongoose),
  },
  {
    files: ['src/db/**/*.ts'],
    rules: restrict(boundaries.ltijs, boundaries.livekitSdk),
  },
  {
    files: ['src/lti/**/*.ts'],
    rules: restrict(boundaries.livekitSdk, boundaries.mongoose),
  },
  {
    files: ['src/livekit/**/*.ts'],
    rules: restrict(boundaries.ltijs, boundaries.express, boundaries.mongoose),
  },
  {
    files: ['src/rooms/**/*.ts', 'src/attendance/**/*.ts', 'src/recordings/**/*.ts'],
    rules: restrict(boundaries.ltijs, boundaries.livekitSdk, boundaries.express, boundaries.mongoose),
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '!**/src/http', '!**/src/http/contract*'],
              message: 'The client imports server code only as types from src/http/contract.ts.',
            },
          ],
          paths: [boundaries.ltijs, boundaries.livekitSdk, boundaries.express, boundaries.mongoose],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{ts,mjs}', 'bench/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
