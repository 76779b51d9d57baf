// Flat ESLint config: typescript-eslint's recommended rules for the infrastructure and the service.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'service/.data/',
      'dist/',
      'service/dist/',
      'cdktf.out/',
      'coverage/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message:
                'Import by deep path (@cdktf/provider-aws/lib/<resource>): the barrel costs seconds and hundreds of MB per synth.',
            },
            {
              name: '@cdktf/provider-kubernetes',
              message: 'Import by deep path (@cdktf/provider-kubernetes/lib/<resource>).',
            },
            {
              name: '@cdktf/provider-helm',
              message: 'Import by deep path (@cdktf/provider-helm/lib/<resource>).',
            },
          ],
        },
      ],
    },
  },
);
