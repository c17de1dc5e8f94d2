/*
** tests/fuzz/fuzz_options.c: default sanitizer options of the libFuzzer
** binaries (-Dfuzzing=true), linked into them only.
**
** UndefinedBehaviorSanitizer halts on the first report, so libFuzzer
** counts undefined behaviour as a crash and saves the input; the reports
** tests/fuzz/ubsan.supp lists (known bugs awaiting their fix) are let
** through.  UBSAN_OPTIONS in the environment overrides these defaults.
** Not here: the replay build's options (meson test sets UBSAN_OPTIONS).
*/
const char *__ubsan_default_options(void);

const char *__ubsan_default_options(void)
{
  return "halt_on_error=1:print_stacktrace=1:suppressions=" FUZZ_UBSAN_SUPPRESSIONS;
}
