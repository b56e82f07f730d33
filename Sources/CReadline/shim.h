#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Readline is configured through global variables, which Swift 6 cannot touch safely from
// Swift code; these accessors give the one Swift file that wraps readline functions instead.

static inline void churncube_rl_configure(const char *name, const char *wordBreaks, rl_completion_func_t *complete) {
    rl_readline_name = name;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 1;
    rl_completer_word_break_characters = (char *)wordBreaks;
    rl_attempted_completion_function = complete;
}

static inline int churncube_rl_point(void) { return rl_point; }
static inline const char *churncube_rl_line_buffer(void) { return rl_line_buffer; }

/// After Ctrl-C in the callback interface: shows ^C at the end of the line and discards it.
static inline void churncube_rl_discard_line(void) {
    rl_point = rl_end;
    rl_redisplay();
    fputs("^C", rl_outstream ? rl_outstream : stdout);
    rl_crlf();
    fflush(rl_outstream ? rl_outstream : stdout);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = 0;
    rl_end = 0;
    rl_callback_handler_remove();
}

/// Inside the completion function: no fallback to file names, no automatic closing quote.
static inline void churncube_rl_completion_flags(int fallBackToFileNames) {
    rl_attempted_completion_over = fallBackToFileNames ? 0 : 1;
    rl_completion_suppress_quote = 1;
}
