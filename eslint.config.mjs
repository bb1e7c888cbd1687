// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // A plugin sees only the public adapter contract, never HubSpot code, other plugins or core internals.
    files: ['plugins/**/*.ts'],
    ignores: ['plugins/**/*.spec.ts', 'plugins/**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src|\\.\\./src)/(?!core/adapter$)',
              message: 'Plugins may import only the public contract barrel src/core/adapter.',
            },
            { regex: 'hubspot', message: 'Plugins never import HubSpot code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/hubspot/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+plugins/', message: 'HubSpot code never imports a plugin.' },
          ],
        },
      ],
    },
  },
);
