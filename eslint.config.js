// ESLint for every workspace: typescript-eslint's type-aware recommended rules, React hooks and Next.js rules
// for web/, and eslint-config-prettier last so formatting is Prettier's alone.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import prettier from 'eslint-config-prettier/flat';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/.next/',
    '**/.data/',
    'prisma/generated/',
    'test-results/',
    'playwright-report/',
    'bench/results/',
    'web/next-env.d.ts',
    'dist/',
    // The chart boot script, bundled by esbuild at build time (web/next.config.ts).
    'web/public/chart-boot.js',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // Each file is checked with its nearest tsconfig.json: web/ with web/tsconfig.json, the rest with the root's.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `async` without `await` is deliberate here: interface methods (providers' start/stop/fetchBars, history sources) and fakes
      // return a promise and turn a throw into a rejection; no-floating-promises and no-misused-promises guard the real mistakes.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore names a parameter kept for its position, or a key destructured only to leave it out of `...rest`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain JavaScript (this file, scripts/postinstall.mjs) is in no tsconfig: lint it without type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended, nextPlugin.configs['core-web-vitals']],
    languageOptions: { globals: { ...globals.browser } },
    settings: { next: { rootDir: 'web/' } },
  },
  prettier,
]);
