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
/** The AWS SDK, by package name pattern: only src/s3/ imports it (the recordings bucket). */
const awsSdk = { group: ['@aws-sdk/*'], message: 'Only src/s3/ imports the AWS SDK.' };

const restrict = (...paths) => ({ 'no-restricted-imports': ['error', { paths, patterns: [awsSdk] }] });

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
    ignores: ['src/lti/**', 'src/livekit/**', 'src/db/**', 'src/s3/**'],
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
    files: ['src/s3/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [boundaries.ltijs, boundaries.livekitSdk, boundaries.mongoose] }],
    },
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
            awsSdk,
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
