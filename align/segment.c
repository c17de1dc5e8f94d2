/*
** align/segment.c: sentence segmentation of one document (paragraphs, then
** sentences inside each paragraph).
**
** The text is cut into paragraphs first (every "\n", or only blank lines,
** after opts->paragraphs; in AUTO mode para.c tells hard-wrapped text and
** its wrapped line breaks); each non-blank paragraph is handed to one ICU
** sentence break iterator, opened once per document for "<lang>@ss=standard"
** (CLDR abbreviation suppressions) and pointed at the paragraph with
** utext_openUTF8 + ubrk_setUText, so ICU works on our UTF-8 bytes and returns
** byte offsets; nothing is copied to UTF-16.  ICU's breaks, plus every
** ". " where the CLDR suppressions may have hidden one, are the candidates;
** decide() vetoes or confirms each with a few local rules for Korean and
** English news (closing quote + Korean particle, dotted initials, dotted
** dates, list markers, news abbreviations, "!"/"?" before a lowercase word,
** suppressions that matched only a suffix such as "Q." in "GCHQ.", spaced
** ellipses, glued "word.Next", citations, a.m./p.m., a number opening a
** sentence, "Q."/"A." interview marks, "Inc. (“…”)", "Yahoo! Inc.", a
** fullwidth "．" glued to the next sentence, footnote numbers glued to a
** full stop "consultation.11 12 Take"), and a kept break moves past
** footnote markers "[1]" and emoticons "ㅋㅋ", "^^".  After dotted initials
** a capitalized word is decided by what it is and what follows it
** (opens_after_abbrev(): a closed-class starter, a name going on, or a
** subject before its verb).  An ordered list run together in one paragraph
** ("1. a 2. b", "(a) x (b) y", or after a colon) breaks before each item.  In Korean a word ending in a
** sentence-final ending (했다, 어요, 죠, 할까, 했음) or laughter before a new
** word is a candidate too, for text with no full stops; no break is taken
** inside a quotation ("…다. …다." 하며) or after a trailing-off "그런데...".
** Korean quotations pair by family, not by exact mark ("“…\"고", "(…）"), and
** an opening mark met again before any close is unpaired and holds
** nothing; a quoting particle after a space ("” 고 말했다"), a web address,
** a weekday after a dotted date, a dotted Latin abbreviation ("Ph.D. 학위")
** and a form of 하다/보다 after an ending ("왔다 했다", "늦을까 봐") keep the
** sentence whole, while a stop glued to a number or a quotation
** ("떠났다.1990년", "떠났다.“…"), "…" or "⋯" after an ending, and two quoted
** sentences in a row break.
** Before any of this, article.c classifies the paragraphs of the whole
** page (furniture, dropped unless opts->keep_furniture; the headline, its
** copies, related titles: added whole), and news.c
** cuts bylines, datelines and credits off each paragraph as segments with
** their role; with opts->srx, an SRX rule set (srx.c) replaces all of the
** above.  Every rule looks at most
** TOKEN_MAX bytes around a candidate, so the pass is linear in the text
** length: 1 MB in about 30 ms (debugoptimized build).
** Assumptions: valid NFC UTF-8 with "\n" line ends (formats/text.c made it);
** a paragraph is shorter than 2 GB (ICU indexes are int32_t).
** Not here: segment storage and white-space folding (doc.c), presegmented
** line input (doc.c), alignment (score.c, dp.c).
*/
#include <stdint.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "article_int.h"
#include "news_int.h"
#include "para_int.h"
#include "srx_int.h"

/*
** Longest token, in bytes, that the rules examine before or after a
** candidate break.  The longest table entry ("approx.") and the longest
** dotted date ("2023.12.31.") are far below; a longer token is never an
** abbreviation, which keeps every decision O(1).
*/
#define TOKEN_MAX 32

/* Room for a language tag (ieum_doc keeps at most 35 bytes) plus "@ss=standard". */
#define LOCALE_MAX 64

/* What kind of abbreviation a token before a candidate break is. */
typedef enum {
  ABBR_NONE = 0,
  ABBR_WORD,     /* "Gen.", "Inc.": joins a lowercase word, a digit or a name */
  ABBR_TITLE,    /* "Dr.", "Mr.": joins whatever capitalized word follows */
  ABBR_NUMERO,   /* "No.": joins a following digit only */
  ABBR_INITIALS  /* "U.S.", "G.D.P.", "a.m.", "E.": single letters with dots */
} abbr_kind;

/*
** Abbreviations of news English that must not end a sentence when a
** lowercase word, a digit or a name follows (ABBR_WORD), whether or not the
** CLDR suppressions already cover them.  Matched case-sensitively on a whole
** token.  Dotted initials (U.S., U.N., U.K., G.D.P.) are recognized by
** their shape instead (ABBR_INITIALS), so they are not listed.
*/
static const struct {
  const char *word;
  abbr_kind kind;
} abbrevs[] = {
  /* personal titles: a capitalized word after them is a name */
  { "Mr.", ABBR_TITLE }, { "Mrs.", ABBR_TITLE }, { "Ms.", ABBR_TITLE }, { "Dr.", ABBR_TITLE },
  { "Prof.", ABBR_TITLE }, { "Rev.", ABBR_TITLE },
  /* military ranks and offices, frequent in news datelines and quotes */
  { "Gen.", ABBR_WORD }, { "Lt.", ABBR_WORD }, { "Col.", ABBR_WORD }, { "Sgt.", ABBR_WORD },
  { "Capt.", ABBR_WORD }, { "Maj.", ABBR_WORD }, { "Adm.", ABBR_WORD }, { "Cmdr.", ABBR_WORD },
  { "Gov.", ABBR_WORD }, { "Sen.", ABBR_WORD }, { "Rep.", ABBR_WORD }, { "Amb.", ABBR_WORD },
  /* months in datelines ("Jan. 18"); "May" is a whole word and never abbreviated */
  { "Jan.", ABBR_WORD }, { "Feb.", ABBR_WORD }, { "Mar.", ABBR_WORD }, { "Apr.", ABBR_WORD },
  { "Jun.", ABBR_WORD }, { "Jul.", ABBR_WORD }, { "Aug.", ABBR_WORD }, { "Sep.", ABBR_WORD },
  { "Sept.", ABBR_WORD }, { "Oct.", ABBR_WORD }, { "Nov.", ABBR_WORD }, { "Dec.", ABBR_WORD },
  /* company forms: "Samsung Electronics Co. said" */
  { "Inc.", ABBR_WORD }, { "Corp.", ABBR_WORD }, { "Co.", ABBR_WORD }, { "Ltd.", ABBR_WORD },
  { "Bros.", ABBR_WORD },
  /* name suffixes and places */
  { "Jr.", ABBR_WORD }, { "Sr.", ABBR_WORD }, { "St.", ABBR_WORD }, { "Mt.", ABBR_WORD },
  /* lowercase working words and reference words: "ca. 1600", "fig. 3", "Vol. 2" */
  { "vs.", ABBR_WORD }, { "approx.", ABBR_WORD }, { "p.", ABBR_WORD }, { "pp.", ABBR_WORD },
  { "ca.", ABBR_WORD }, { "cf.", ABBR_WORD }, { "fig.", ABBR_WORD }, { "Fig.", ABBR_WORD },
  { "vol.", ABBR_WORD }, { "Vol.", ABBR_WORD }, { "Dept.", ABBR_WORD }, { "Ave.", ABBR_WORD },
  { "Blvd.", ABBR_WORD }, { "Univ.", ABBR_WORD }, { "est.", ABBR_WORD },
  /* "No. 2", "N°. 12": a number sign only before a digit ("He said No. Then..." is a sentence) */
  { "No.", ABBR_NUMERO }, { "no.", ABBR_NUMERO }, { "N\xC2\xB0.", ABBR_NUMERO }, { "N\xC2\xBA.", ABBR_NUMERO },
};

/*
** What a capitalized word after an abbreviation is, in news English: a word
** of a closed class that opens sentences (articles, determiners and
** quantifiers, pronouns, conjunctions, sentence adverbs, prepositions,
** question words, auxiliaries) means the abbreviation also ended the
** sentence ("...in the U.S. But...", "...in the U.S. Millions attended...");
** any other capitalized word is taken as a name going on ("U.S. Forces
** Korea"), unless the word after it shows it is a sentence's subject
** (opens_after_abbrev()).
*/
static const char *const starters[] = {
  /* articles, determiners, quantifiers */
  "A", "An", "The", "This", "That", "These", "Those", "Some", "Many", "Most", "Both", "All", "Each",
  "Every", "No", "Several", "Few", "Such", "Another", "Any", "Much", "More", "Less", "Other", "Others",
  "Millions", "Thousands", "Hundreds", "Dozens", "Tens",
  /* pronouns */
  "There", "Here", "It", "Its", "He", "She", "His", "Her", "They", "Their", "We", "Our", "I", "You", "Your",
  "Nobody", "Everyone", "Everybody", "Someone", "Somebody", "Nothing", "Everything", "None", "One",
  /* conjunctions and sentence adverbs */
  "But", "And", "Or", "Nor", "So", "Yet", "However", "Meanwhile", "Still", "Also", "Then", "Now",
  "If", "When", "While", "After", "Before", "As", "Since", "Although", "Though", "Because", "Unless",
  "Once", "Instead", "Thus", "Therefore", "Moreover", "Indeed", "Even", "Only", "Just", "Not", "Never",
  "Later", "Earlier", "Today", "Yesterday", "Tomorrow", "Last", "Next", "Please", "Yes",
  /* prepositions that open a sentence */
  "In", "On", "At", "For", "From", "By", "With", "To", "Of", "During", "Under", "Over", "Despite",
  "About", "Among", "Against", "Without", "Through",
  /* questions and auxiliaries */
  "How", "What", "Why", "Where", "Who", "Which", "Is", "Are", "Was", "Were", "Do", "Does", "Did", "Can",
  "Could", "Will", "Would", "Should", "Has", "Have", "Had",
};

/*
** Nouns that head the names of institutions and offices ("U.S. Army",
** "U.S. Forces Korea", "U.S. Department of Defense", "U.S. Ambassador"):
** a verb after one of them does not make it the first word of a sentence
** ("the U.S. Army said"), as it does for other words ("...the U.S.
** Officials said").
*/
static const char *const name_heads[] = {
  "Army", "Navy", "Air", "Marine", "Marines", "Force", "Forces", "Command", "Military", "Coast", "Guard",
  "Department", "Embassy", "Government", "Administration", "Congress", "Senate", "House", "Court",
  "Treasury", "Ambassador", "President", "Secretary", "Minister", "Ministry", "Commander", "Envoy",
  "Open", "Dollar", "Federal", "National", "State", "Office", "Agency", "Bureau", "Council",
};

/* Lowercase words that link the parts of one name: "Department of Defense", "Food and Drug". */
static const char *const name_links[] = { "of", "and", "for", "de", "du", "von", "van", "der", "on" };

/* Finite verbs and auxiliaries that follow a sentence's subject ("Millions attended", "Trump said"). */
static const char *const verbs[] = {
  "said", "says", "say", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can",
  "could", "may", "might", "must", "should", "shall", "did", "does", "do", "took", "came", "went",
  "made", "gave", "told", "saw", "began", "became", "left", "met", "won", "lost", "rose", "fell",
  "grew", "got", "ran", "held", "kept", "thought", "knew", "expect", "expects", "believe", "believes",
  "want", "wants", "think", "thinks",
};

static int in_words(const char *const *list, size_t count, const char *w, size_t n)
{
  for (size_t k = 0; k < count; k++)
    if (strlen(list[k]) == n && memcmp(list[k], w, n) == 0)
      return 1;
  return 0;
}
#define IN_WORDS(list, w, n) in_words(list, sizeof list / sizeof list[0], w, n)

static int is_starter(const char *w, size_t n)
{
  return IN_WORDS(starters, w, n);
}

/* Non-zero when the lowercase word w[0..n) is a finite verb: the lexicon's, or a past tense "-ed". */
static int finite_verb(const char *w, size_t n)
{
  return IN_WORDS(verbs, w, n) || (n >= 4 && w[n - 2] == 'e' && w[n - 1] == 'd');
}

typedef struct {
  ieum_doc *doc;
  const char *text;      /* the whole input */
  UBreakIterator *bi;    /* one per document */
  UText *ut;             /* reused for every paragraph */
  ieum_buf scratch;      /* a paragraph with "\n" turned into " " (BLANK mode) */
  const char *locale;    /* "<lang>@ss=standard" */
  UBreakIterator *probe; /* second iterator for suppressed(), opened when first needed */
  UText *probe_ut;
  char probe_text[TOKEN_MAX + 4];
  ieum_srx_run *srx;     /* SRX rules for the document's language, or NULL */
  int korean;            /* the language is Korean: sentence-final endings are candidates */
} seg_ctx;

/* ---- code points ---------------------------------------------------------- */

/* Code point starting at s[i] (i < hi). */
static int32_t cp_at(const char *s, size_t hi, size_t i)
{
  size_t j = i;
  return ieum__utf8_next(s, hi, &j);
}

/* Code point ending at s[i] (i > lo); *start receives its first byte. */
static int32_t cp_before(const char *s, size_t lo, size_t i, size_t *start)
{
  size_t j = i - 1;
  while (j > lo && ((unsigned char)s[j] & 0xC0) == 0x80)
    j--;
  *start = j;
  return cp_at(s, i, j);
}

static int is_space(int32_t c)
{
  return c == '\n' || u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B;
}

static int is_hangul(int32_t c)
{
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x3131 && c <= 0x318E); /* syllables, compatibility jamo */
}

static int in_list(int32_t c, const int32_t *list, size_t n)
{
  for (size_t k = 0; k < n; k++)
    if (list[k] == c)
      return 1;
  return 0;
}

static int is_ascii_upper(int32_t c) { return c >= 'A' && c <= 'Z'; }
static int is_ascii_lower(int32_t c) { return c >= 'a' && c <= 'z'; }
static int is_ascii_digit(int32_t c) { return c >= '0' && c <= '9'; }

/* Closing quotes and brackets after which a Korean particle may follow. */
static int is_close(int32_t c)
{
  switch (c) {
  case '"': case '\'': case ')': case ']': case '}': case '>':
  case 0x2019: case 0x201D: case 0x00BB: case 0x300B: case 0x300D: case 0x300F:
  case 0x3009: case 0x3011: case 0x3015: case 0xFF09: case 0xFF3D:
    return 1;
  default:
    return 0;
  }
}

/* Opening quotes and brackets that may precede a token. */
static int is_open(int32_t c)
{
  switch (c) {
  case '"': case '\'': case '(': case '[': case '{': case '<':
  case 0x2018: case 0x201C: case 0x00AB: case 0x300A: case 0x300C: case 0x300E:
  case 0x3008: case 0x3010: case 0x3014: case 0xFF08: case 0xFF3B:
    return 1;
  default:
    return 0;
  }
}

/* ---- tokens --------------------------------------------------------------- */

static abbr_kind abbr_of(const char *t, size_t n)
{
  if (n < 2 || t[n - 1] != '.')
    return ABBR_NONE;
  for (size_t k = 0; k < sizeof abbrevs / sizeof abbrevs[0]; k++)
    if (strlen(abbrevs[k].word) == n && memcmp(abbrevs[k].word, t, n) == 0)
      return abbrevs[k].kind;
  /* an initial "E." or dotted initials ([A-Za-z]\.){2,} */
  if (n == 2 && is_ascii_upper(t[0]))
    return ABBR_INITIALS;
  if (n >= 4 && n % 2 == 0) {
    for (size_t k = 0; k < n; k += 2)
      if (!(is_ascii_upper(t[k]) || is_ascii_lower(t[k])) || t[k + 1] != '.')
        return ABBR_NONE;
    return ABBR_INITIALS;
  }
  return ABBR_NONE;
}

/* Bytes of the ASCII letters starting at s[i], at most TOKEN_MAX. */
static size_t word_len(const char *s, size_t hi, size_t i)
{
  size_t j = i;
  while (j < hi && j - i < TOKEN_MAX && (is_ascii_upper(s[j]) || is_ascii_lower(s[j])))
    j++;
  return j - i;
}

/*
** Decides a capitalized word s[b..b+w) (w letters) after dotted initials
** ("U.S.", "a.m."; after a rank, a month or a company form, "Gen. Park
** would", only a starter opens a sentence): 1 when it opens a new sentence, 0 when it
** goes on with a name or a noun phrase.  A starter word opens one; a word
** followed by a capitalized word ("U.S. Forces Korea", "U.S. Defense
** Minister"), by a link of names ("U.S. Department of Defense") or by
** anything but a lowercase word is part of a name; a word followed by a
** finite verb is the subject of a new sentence ("in the U.S. Millions
** attended") unless it is a noun that heads names ("the U.S. Army said").
*/
static int opens_after_abbrev(const char *s, size_t hi, size_t b, size_t w)
{
  if (is_starter(s + b, w))
    return 1;
  size_t j = b + w;
  if (j >= hi || s[j] != ' ')
    return 0; /* "U.S. Army's", "U.S. Forces," */
  while (j < hi && s[j] == ' ')
    j++;
  size_t x = word_len(s, hi, j);
  if (x == 0 || !is_ascii_lower(s[j]) || (j + x < hi && (s[j + x] == '-' || s[j + x] == '\'')))
    return 0;
  if (IN_WORDS(name_links, s + j, x))
    return 0;
  return finite_verb(s + j, x) && !IN_WORDS(name_heads, s + b, w);
}

/*
** Start of the token ending at q (the run of non-space characters), past
** any opening quotes or brackets; `lo` when the token starts the paragraph.
** Returns q when the token is longer than TOKEN_MAX (never an abbreviation).
*/
static size_t token_start(const char *s, size_t lo, size_t q)
{
  size_t t = q, p;
  while (t > lo && q - t <= TOKEN_MAX) {
    int32_t c = cp_before(s, lo, t, &p);
    if (is_space(c))
      break;
    t = p;
  }
  if (q - t > TOKEN_MAX)
    return q;
  while (t < q && is_open(cp_at(s, q, t))) {
    size_t j = t;
    ieum__utf8_next(s, q, &j);
    t = j;
  }
  return t;
}

/* Number of ASCII digits ending at i (not before lo), at most `max` + 1. */
static size_t digits_before(const char *s, size_t lo, size_t i, size_t max)
{
  size_t n = 0;
  while (i > lo && n <= max && is_ascii_digit(s[i - 1])) {
    i--;
    n++;
  }
  return n;
}

/*
** Non-zero when a dotted date "2023.1.18." or "2023. 1. 18." ends at q:
** a 2-4 digit year, 1-2 digit month and day, each followed by a dot and
** optionally one space.
*/
static int date_ends_at(const char *s, size_t lo, size_t q)
{
  static const size_t min_d[3] = { 1, 1, 2 }, max_d[3] = { 2, 2, 4 };
  size_t i = q;
  for (int part = 0; part < 3; part++) {
    if (part > 0 && i > lo && s[i - 1] == ' ')
      i--;
    if (i <= lo || s[i - 1] != '.')
      return 0;
    i--;
    size_t n = digits_before(s, lo, i, max_d[part]);
    if (n < min_d[part] || n > max_d[part])
      return 0;
    i -= n;
  }
  return i == lo || !is_ascii_digit(s[i - 1]);
}

/* Non-zero when s[b..hi) starts with 1-2 digits and a dot: the rest of a date or a number list. */
static int date_part_at(const char *s, size_t hi, size_t b)
{
  size_t n = 0;
  while (b + n < hi && n < 3 && is_ascii_digit(s[b + n]))
    n++;
  return n >= 1 && n <= 2 && b + n < hi && s[b + n] == '.';
}

/*
** Hangul syllables that number list items, in order: 가 나 다 라 마 바 사.
** Later ones (아, 자...) are far more often one-word sentences ("아.").
*/
static int list_syllable(int32_t c)
{
  static const int32_t order[] = { 0xAC00, 0xB098, 0xB2E4, 0xB77C, 0xB9C8, 0xBC14, 0xC0AC };
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
    if (c == order[k])
      return 1;
  return 0;
}

/*
** Non-zero when s[t..q) is a list or heading marker at the start of a
** paragraph: an optional bullet, then "1.", "1-1.", "1.1.", "a.", "가.",
** "ㄱ.", "가-1.": 1-3 digits, or one Latin letter, list syllable or jamo, then
** groups of [.-] and 1-3 digits, then the final dot.
*/
static int marker_at(const char *s, size_t t, size_t q)
{
  size_t i = t;
  int32_t c = cp_at(s, q, i);
  if (c == 0x2022 || c == 0x2043 || c == 0x00B7 || c == '-' || c == '*') { /* bullets */
    ieum__utf8_next(s, q, &i);
    while (i < q && s[i] == ' ')
      i++;
  }
  if (q - i >= 3 && s[q - 1] == ')' && s[q - 2] == '.') /* "1.)" */
    q--;
  if (q - i < 2 || s[q - 1] != '.')
    return 0;
  size_t n = 0;
  while (i + n < q - 1 && n < 4 && is_ascii_digit(s[i + n]))
    n++;
  if (n > 3)
    return 0;
  if (n == 0) {
    c = ieum__utf8_next(s, q, &i);
    if (!(is_ascii_upper(c) || is_ascii_lower(c) || (c >= 0x3131 && c <= 0x314E) || list_syllable(c)))
      return 0;
  }
  i += n;
  while (i < q - 1) {
    if (s[i] != '.' && s[i] != '-')
      return 0;
    i++;
    n = 0;
    while (i + n < q - 1 && n < 4 && is_ascii_digit(s[i + n]))
      n++;
    if (n == 0 || n > 3)
      return 0;
    i += n;
  }
  return i == q - 1;
}

/* End of the run of non-space characters starting at s[i], at most TOKEN_MAX bytes on. */
static size_t token_end(const char *s, size_t hi, size_t i)
{
  size_t j = i;
  while (j < hi && j - i < TOKEN_MAX && !is_space(cp_at(s, hi, j)))
    ieum__utf8_next(s, hi, &j);
  return j;
}

/* Non-zero when the token s[0..n) is "a.m.", "p.m.", "A.M." or "P.M.". */
static int is_ampm(const char *t, size_t n)
{
  return n == 4 && (t[0] == 'a' || t[0] == 'p' || t[0] == 'A' || t[0] == 'P') && (t[2] == 'm' || t[2] == 'M');
}

/*
** Non-zero when the token t[0..n) is a plain lowercase word of at least
** PLAIN_WORD_MIN letters and a full stop ("dump."): short ones ("ca.", "fig.",
** "est.") are too often abbreviations before a number.
*/
#define PLAIN_WORD_MIN 4
static int plain_word(const char *t, size_t n)
{
  if (n < PLAIN_WORD_MIN + 1 || t[n - 1] != '.')
    return 0;
  for (size_t k = 0; k + 1 < n; k++)
    if (!is_ascii_lower(t[k]))
      return 0;
  return 1;
}

/*
** Non-zero when s[..q) ends with spaced dots that do not end a sentence:
** an ellipsis " . . ." ("the thing is . . . I didn't"), or four dots glued
** to a word ("compounds. . . ."), whose sentence ended at the word.  Four
** dots after a space ("a period . . . .") are an ellipsis and the full stop.
*/
static int spaced_ellipsis_before(const char *s, size_t lo, size_t q)
{
  size_t x = q - 1, dots = 1; /* s[x] == '.' */
  while (x >= lo + 2 && s[x - 1] == ' ' && s[x - 2] == '.' && dots < 5) {
    x -= 2;
    dots++;
  }
  if (dots < 3)
    return 0;
  int spaced = x == lo || s[x - 1] == ' ';
  return spaced ? dots == 3 : dots >= 4;
}

/*
** Decides the candidate before a spaced ellipsis that follows a full stop,
** "compounds. |. . . The practice": the four dots are a full stop and an
** ellipsis that opens the next sentence when a capital follows them (1),
** an ellipsis inside the sentence otherwise (0).
*/
static int spaced_ellipsis_at(const char *s, size_t hi, size_t b)
{
  size_t e = b + 5;
  if (e >= hi || memcmp(s + b, ". . .", 5) != 0)
    return 0;
  while (e < hi && s[e] == ' ')
    e++;
  return e > b + 5 && e < hi && is_ascii_upper(s[e]);
}

/*
** Decides a full stop glued to a capital, "sentence.Isn't it?" (1), against
** "U.S.Army", "e.g.The", "www.Example.com" and "John.Smith@mail" (0): the
** token before is two or more letters (apostrophes allowed) ending in a
** lowercase one, and the word after is a capital and lowercase letters that
** end at white space or punctuation other than ".", "@", "/".
*/
static int glued_start(const char *s, size_t lo, size_t hi, size_t q, size_t b)
{
  size_t t = token_start(s, lo, q - 1), letters = 0;
  if (t + 1 >= q || !is_ascii_lower(s[q - 2]))
    return 0;
  for (size_t k = t; k < q - 1; k++) {
    if (is_ascii_upper(s[k]) || is_ascii_lower(s[k]))
      letters++;
    else if (s[k] != '\'')
      return 0;
  }
  size_t j = b + 1;
  while (j < hi && is_ascii_lower(s[j]))
    j++;
  if (letters < 2 || j == b + 1)
    return 0;
  return j == hi || !(s[j] == '.' || s[j] == '@' || s[j] == '/' || is_ascii_upper(s[j]) || is_ascii_digit(s[j]));
}

/*
** Non-zero when s[b] opens a citation "(Smith 55)." or "(p. 4)," that is
** closed within TOKEN_MAX * 2 bytes and followed by punctuation: it belongs
** to the quotation before it.
*/
static int citation_at(const char *s, size_t hi, size_t b)
{
  for (size_t j = b + 1; j < hi && j - b < TOKEN_MAX * 2; j++) {
    if (s[j] == '(' || s[j] == '!' || s[j] == '?')
      return 0;
    if (s[j] == ')')
      return j + 1 < hi && (s[j + 1] == '.' || s[j + 1] == ',' || s[j + 1] == ';');
  }
  return 0;
}

static int final_ending(int32_t c3, int32_t c2, int32_t c1);
static int continues_clause(const char *s, size_t hi, size_t b);
static int verb_goes_on(const char *s, size_t hi, size_t b);

/*
** Non-zero for a closing quotation mark (not a bracket): after one, a
** particle set off by a space is still part of the quoting clause.
*/
static int is_quote_close(int32_t c)
{
  return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0x300B ||
         c == 0x3009 || c == '>';
}

/*
** Non-zero when the word at s[b] is a particle or quoting ending that only
** follows a quotation, never opens a sentence: "” 고 말했다", "” 며 웃었다",
** "” 라고", "” 는 말". The word must end there (white space, punctuation or
** the paragraph end), so "고객", "는" inside a longer word do not count.
*/
static int quote_particle(const char *s, size_t hi, size_t b)
{
  static const char *const words[] = { "고", "며", "라고", "라며", "라면서", "라는", "란", "이라고", "이라며",
                                       "이라는", "하고", "하며", "하면서", "는", "은", "를", "을" };
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
    size_t n = strlen(words[k]);
    if (hi - b < n || memcmp(s + b, words[k], n) != 0)
      continue;
    if (b + n == hi)
      return 1;
    int32_t c = cp_at(s, hi, b + n);
    if (is_space(c) || c == ',' || c == '.')
      return 1;
  }
  return 0;
}

/*
** Non-zero when the token ending at q (its last byte a full stop) is Latin
** letters with a full stop inside as well as at the end, at most 8 bytes:
** "Ph.D.", "e.g.", "i.e.", "B.C.".  Inside Korean text such a token is an
** abbreviation; a Korean word after it goes on with the same sentence.
*/
static int dotted_latin(const char *s, size_t lo, size_t q)
{
  size_t t = token_start(s, lo, q), dots = 0;
  if (q - t < 4 || q - t > 8 || !(is_ascii_upper(s[t]) || is_ascii_lower(s[t])))
    return 0;
  for (size_t i = t; i < q; i++) {
    if (s[i] == '.')
      dots++;
    else if (!is_ascii_upper(s[i]) && !is_ascii_lower(s[i]))
      return 0;
    if (s[i] == '.' && i + 1 < q && s[i + 1] == '.')
      return 0;
  }
  return dots >= 2;
}

/*
** Longest stretch, in bytes, looked at before a candidate break for the
** start of a web address; a longer run of non-space is left to the other
** rules.  Bounds the cost of in_url() per candidate.
*/
#define URL_SCAN 256

/*
** Non-zero when the run of non-space characters ending at q holds "://" or
** starts with "www.": the candidate break (a "?" or "." glued to what
** follows) is inside a web address.
*/
static int in_url(const char *s, size_t lo, size_t q)
{
  size_t t = q, p;
  while (t > lo && q - t < URL_SCAN && !is_space(cp_before(s, lo, t, &p)))
    t = p;
  if (t > lo && !is_space(cp_before(s, lo, t, &p)))
    return 0;
  for (size_t i = t; i + 3 <= q; i++)
    if (memcmp(s + i, "://", 3) == 0)
      return 1;
  while (t < q && is_open(cp_at(s, q, t)))
    ieum__utf8_next(s, q, &t);
  return q - t > 4 && memcmp(s + t, "www.", 4) == 0;
}

/*
** Korean rules on the text before a candidate break at b (q: end of that
** text, white space excluded; `last` the character before q).  Returns 0
** to veto the break, -1 when no rule applies.
*/
static int korean_veto(const char *s, size_t lo, size_t hi, size_t q, size_t b, int32_t last, int glued)
{
  size_t p, p2, p3;
  int32_t next = cp_at(s, hi, b);
  /* "거야.\" 하며 어깨를": a quotation goes on in its clause */
  if (is_close(last) && continues_clause(s, hi, b))
    return 0;
  /* "잘했다.” 고 말했다": a quoting particle set off by a space still belongs to the quotation's clause */
  if (!glued && is_quote_close(last) && quote_particle(s, hi, b))
    return 0;
  /* "Ph.D. 학위를", "e.g. 같은": a dotted Latin abbreviation before a Korean word */
  if (!glued && last == '.' && is_hangul(next) && dotted_latin(s, lo, q))
    return 0;
  /* "2017. 6. 10.(토)": the weekday in brackets after a dotted date belongs to the date */
  if (glued && last == '(' && q > lo + 1 && date_ends_at(s, lo, q - 1))
    return 0;
  /* "http://a.kr/b.asp?id=3", "www.a.kr에": no sentence ends inside a web address */
  if (glued && in_url(s, lo, q))
    return 0;
  /* "아우.. 주말인데", "싶은데... 딱히", "갈릭치즈...누가": a trailing-off, not an end */
  if ((last == '.' || last == 0x2026) && is_hangul(next)) {
    size_t e = q;
    int32_t c = 0;
    int dots = 0;
    while (e > lo && dots < TOKEN_MAX) {
      c = cp_before(s, lo, e, &p);
      if (c != '.' && c != 0x2026)
        break;
      dots += c == '.' ? 1 : 3;
      e = p;
    }
    if (dots >= 2 && is_hangul(c)) {
      static const int32_t cont[] = { 0xB370 /* 데 */, 0xC5D0 /* 에 */, 0xC774 /* 이 */, 0xC740 /* 은 */,
                                      0xB294 /* 는 */, 0xC744 /* 을 */, 0xB97C /* 를 */, 0xB3C4 /* 도 */ };
      int32_t b1 = p > lo ? cp_before(s, lo, p, &p2) : 0;
      int32_t b2 = is_hangul(b1) && p2 > lo ? cp_before(s, lo, p2, &p3) : 0;
      if (final_ending(b2, b1, c))
        return -1;
      /*
      ** glued to the next word, after a particle or connective (싶은데,
      ** 때문에), or after a short word (아우.., 물론..., 네, 네...) unless it
      ** ends in the connective 고/며 that posts end sentences with (같고.., 되고..)
      */
      if (glued || in_list(c, cont, sizeof cont / sizeof cont[0]))
        return 0;
      if ((!is_hangul(b1) || !is_hangul(b2)) && c != 0xACE0 /* 고 */ && c != 0xBA70 /* 며 */)
        return 0;
    }
  }
  /* "반.전.매.력", "전. 부. 다. 요!!!": a word spelled out syllable by syllable */
  if (last == '.' && is_hangul(next) && q >= lo + 4) {
    int32_t c = cp_before(s, lo, q - 1, &p);
    int single = is_hangul(c) && (p == lo || !is_hangul(cp_before(s, lo, p, &p2)));
    size_t j = b;
    ieum__utf8_next(s, hi, &j);
    if (single && j < hi && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
      return 0;
    if (single && p >= lo + 5 && (s[p - 1] == ' ' || s[p - 1] == '.')) {
      size_t k = s[p - 1] == ' ' ? p - 1 : p;
      if (k > lo && s[k - 1] == '.' && is_hangul(cp_before(s, lo, k - 1, &p2)) &&
          (p2 == lo || !is_hangul(cp_before(s, lo, p2, &p3))))
        return 0;
    }
  }
  return -1;
}

/* ---- English rules on what follows --------------------------------------- */

/*
** Kind of the dotted initials that end a compound token "Korea-U.S.",
** "ROK-U.S.", "US/U.K.": the part after the last hyphen or slash, when it
** is dotted initials and letters come before it; ABBR_NONE otherwise.
*/
static abbr_kind compound_abbr(const char *t, size_t n)
{
  size_t k = n;
  while (k > 0 && t[k - 1] != '-' && t[k - 1] != '/')
    k--;
  if (k < 2 || !(is_ascii_upper(t[k - 2]) || is_ascii_lower(t[k - 2])))
    return ABBR_NONE;
  return abbr_of(t + k, n - k) == ABBR_INITIALS ? ABBR_INITIALS : ABBR_NONE;
}

/*
** Non-zero when the token s[t..q) is an interview's mark "Q." or "A." that
** opens its sentence (only white space between `start` and t): the question
** or answer that follows belongs with it.
*/
static int interview_mark(const char *s, size_t start, size_t t, size_t q)
{
  if (q - t != 2 || (s[t] != 'Q' && s[t] != 'A') || s[t + 1] != '.')
    return 0;
  for (size_t i = start; i < t; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return 0;
  return 1;
}

/*
** Non-zero when a fullwidth full stop "．" (U+FF0E, EF BC 8E) ends the text
** before a glued break at b and a sentence may start at s[b]: a capital,
** Hangul or a CJK ideograph, not a digit ("1．5") nor a lowercase letter.
*/
static int fullwidth_stop(const char *s, size_t lo, size_t hi, size_t q, size_t b)
{
  if (q < lo + 3 || memcmp(s + q - 3, "\xEF\xBC\x8E", 3) != 0 || b >= hi)
    return 0;
  int32_t c = cp_at(s, hi, b);
  return u_isupper(c) || is_hangul(c) || (c >= 0x4E00 && c <= 0x9FFF);
}

/* Most footnote numbers taken after one full stop: "consultation.11 12 Take". */
#define FOOTNOTES_MAX 4

/*
** Footnote numbers glued to a full stop, "consultation.11 12 Take the
** example": when s[d] (just after a "." that follows a lowercase letter)
** opens 1-3 digit numbers separated by white space or commas, at most
** FOOTNOTES_MAX of them, and a capital follows them after white space,
** returns where that capital is (the break: the numbers stay with the
** sentence before); 0 otherwise.
*/
static size_t footnote_numbers_end(const char *s, size_t hi, size_t d)
{
  size_t j = d;
  for (int groups = 0; groups < FOOTNOTES_MAX; groups++) {
    size_t n = 0;
    while (j + n < hi && n < 4 && is_ascii_digit(s[j + n]))
      n++;
    if (n == 0 || n > 3)
      return 0;
    j += n;
    if (j < hi && s[j] == ',')
      j++;
    if (j >= hi || s[j] != ' ')
      return 0;
    while (j < hi && s[j] == ' ')
      j++;
    if (j < hi && is_ascii_upper(s[j]))
      return j;
  }
  return 0;
}

/*
** Non-zero when the text before the break at b (q: its end, white space
** excluded) ends with footnote numbers glued to a full stop after a
** lowercase letter ("consultation.11 12"), as footnote_numbers_end() finds
** them before b.
*/
static int footnotes_before(const char *s, size_t lo, size_t hi, size_t q, size_t b)
{
  size_t i = q;
  while (i > lo && q - i <= TOKEN_MAX && (is_ascii_digit(s[i - 1]) || s[i - 1] == ' ' || s[i - 1] == ','))
    i--;
  return i >= lo + 2 && s[i - 1] == '.' && is_ascii_lower(s[i - 2]) && is_ascii_digit(s[i]) &&
         footnote_numbers_end(s, hi, i) == b;
}

/*
** Non-zero when the token s[t..q) is a name spelled with "!" ("Yahoo!")
** inside a sentence (not its first word: "Great! Inc. ..." is two) and a
** company form follows at b ("Yahoo! Inc. rose"): no sentence ends there.
*/
static int exclaimed_name(const char *s, size_t hi, size_t start, size_t t, size_t q, size_t b)
{
  if (q - t < 3 || s[q - 1] != '!' || !is_ascii_upper(s[t]))
    return 0;
  for (size_t k = t + 1; k + 1 < q; k++)
    if (!(is_ascii_lower(s[k]) || is_ascii_upper(s[k])))
      return 0;
  size_t i = start;
  while (i < t && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i == t)
    return 0;
  size_t e = token_end(s, hi, b);
  while (e > b && (s[e - 1] == ',' || s[e - 1] == ';'))
    e--;
  return abbr_of(s + b, e - b) == ABBR_WORD;
}

/* ---- the decision --------------------------------------------------------- */

static int icu_fail(const char *call, UErrorCode st)
{
  return ieum__error_set(IEUM_ERROR, "segment: ICU %s(): %s", call, u_errorName(st));
}

/*
** ICU's suppression filter (filteredbrk.cpp, ICU 72) matches an entry
** against the end of the text before the dot without checking that the
** entry starts a word: "GCHQ." is suppressed by the entry "Q.", "NATO." by
** "O.".  A suppression is real only when the token stripped of its first
** character is no longer suppressed ("Mrs." -> "rs." breaks again).
** Asks a second iterator about "<token minus first char> A".  Returns 1 when
** that is still suppressed (a mere suffix match), 0 when not, or an error.
*/
static int suffix_suppressed(seg_ctx *c, const char *tok, size_t n)
{
  UErrorCode st = U_ZERO_ERROR;
  size_t i = 0;
  ieum__utf8_next(tok, n, &i);
  size_t m = n - i;
  if (m < 2 || m > TOKEN_MAX)
    return 0;
  memcpy(c->probe_text, tok + i, m);
  memcpy(c->probe_text + m, " A", 2);
  if (!c->probe) {
    c->probe = ubrk_open(UBRK_SENTENCE, c->locale, NULL, 0, &st);
    if (U_FAILURE(st))
      return icu_fail("ubrk_open", st);
  }
  c->probe_ut = utext_openUTF8(c->probe_ut, c->probe_text, (int64_t)(m + 2), &st);
  ubrk_setUText(c->probe, c->probe_ut, &st);
  if (U_FAILURE(st))
    return icu_fail("ubrk_setUText", st);
  ubrk_first(c->probe);
  return ubrk_next(c->probe) != (int32_t)(m + 1);
}

/*
** Decides whether to break before s[b] inside paragraph s[lo..hi), in the
** sentence that began at `start`.  `icu`
** says whether ICU proposed the break; the rules either veto it, confirm a
** break ICU's suppressions hid, or keep ICU's decision.  Returns 1 (break),
** 0 (no break) or a negative error (from the suppression probe).
*/
static int decide(seg_ctx *ctx, size_t lo, size_t hi, size_t start, size_t b, int icu)
{
  const char *s = ctx->text;
  size_t q = b, p;
  while (q > lo) { /* q: end of the text before the break, white space excluded */
    int32_t c = cp_before(s, lo, q, &p);
    if (!is_space(c))
      break;
    q = p;
  }
  if (q == lo || b >= hi)
    return icu;
  int32_t last = cp_before(s, lo, q, &p);
  int32_t next = cp_at(s, hi, b);
  int glued = q == b;
  size_t p0;

  /* (13) "rose．It fell": a fullwidth full stop glued to the next sentence. */
  if (glued && !icu && fullwidth_stop(s, lo, hi, q, b))
    return 1;
  /* (14) "consultation.11 12 Take": the footnote numbers end the sentence they follow. */
  if (!icu && !glued && is_ascii_digit(last) && is_ascii_upper(next) && footnotes_before(s, lo, hi, q, b))
    return 1;

  /* (1) “…떠나자.”라고, (…?)을: a particle right after a closing quote or bracket. */
  if (glued && is_close(last) && is_hangul(next))
    return 0;

  if (ctx->korean && korean_veto(s, lo, hi, q, b, last, glued) == 0)
    return 0;
  /* "내력이야\" 라는 뜻입니다. run in one's family": a Korean sentence end before a Latin word */
  if (ctx->korean && !icu && !glued && last == '.' && q >= lo + 4 && is_hangul(cp_before(s, lo, p, &p0)) &&
      (is_ascii_lower(next) || is_ascii_upper(next)))
    return 1;

  /* (8) a no-break space right after the full stop: the writer glued the two ("test.\u00A0 Another"). */
  if (!glued) {
    int32_t c0 = cp_at(s, hi, q);
    if (c0 == 0x00A0 || c0 == 0x202F)
      return 0;
  }

  /* (9) spaced ellipses: ". . ." inside a sentence never ends it; "word. . . . Next" ends after "word.". */
  if (last == '.' && spaced_ellipsis_before(s, lo, q))
    return 0;
  if (!glued && last == '.' && next == '.' && p > lo && !is_space(cp_before(s, lo, p, &p0)) && b + 5 <= hi &&
      memcmp(s + b, ". . .", 5) == 0)
    return spaced_ellipsis_at(s, hi, b);

  /* (10) "sentence.Isn't", "no.Not": a full stop glued to a capitalized word after a plain word. */
  if (glued && !icu && last == '.' && is_ascii_upper(next))
    return glued_start(s, lo, hi, q, b);

  /* (11) “… [...]” (Smith 55).: a citation in parentheses closes the sentence before it. */
  if (!glued && next == '(' && is_close(last) && citation_at(s, hi, b))
    return 0;

  size_t t = token_start(s, lo, q);
  const char *tok = s + t;
  size_t n = q - t;
  abbr_kind kind = abbr_of(tok, n);
  if (kind == ABBR_NONE)
    kind = compound_abbr(tok, n); /* "South Korea-U.S. Defense Minister" */

  /* (15) "Q. What did you see? A. Nothing.": an interview's mark stays with what it introduces. */
  if (!glued && interview_mark(s, start, t, q))
    return 0;

  /* (16) "Yahoo! Inc. rose": a name spelled with "!" before its company form. */
  if (!glued && last == '!' && exclaimed_name(s, hi, start, t, q, b))
    return 0;

  /* (2)+(4) abbreviations: dotted initials and the news table. */
  if (kind != ABBR_NONE) {
    if (is_hangul(next)) /* "U.S.정부", "U.S. 정부", "Co. 관계자" */
      return kind == ABBR_NUMERO ? icu : 0;
    if (glued)
      return icu;
    /* "Acme Inc. (“Company A”)": a company form before the short name it defines */
    if (next == '(' && kind == ABBR_WORD)
      return 0;
    if (is_ascii_digit(next)) /* "No. 2", "Jan. 18", "Gen. 3rd" */
      return 0;
    if (kind == ABBR_NUMERO)
      return icu;
    if (u_islower(next)) /* "U.S. troops", "Co. said" */
      return 0;
    if (is_ascii_upper(next)) {
      if (kind == ABBR_TITLE)
        return 0;
      size_t w = word_len(s, hi, b);
      if (w == 1 && b + 1 < hi && s[b + 1] == '.') /* spaced initials "U. S. A.", "John F. Kennedy" */
        return 0;
      if (kind == ABBR_INITIALS ? opens_after_abbrev(s, hi, b, w) : is_starter(s + b, w))
        return 1; /* "U.S. But", "U.S. Millions attended" vs "U.S. Army", "U.S. Forces Korea" */
      /*
      ** "at 6 P.M. Mr. Smith then": a time in capitals ends its sentence
      ** before a title; "At 5 a.m. Mr. Smith went" opens one (lowercase
      ** times end a sentence only before a starter word, as above).
      */
      if (kind == ABBR_INITIALS && is_ampm(tok, n) && is_ascii_upper(tok[0]) &&
          abbr_of(s + b, token_end(s, hi, b) - b) == ABBR_TITLE)
        return 1;
      return 0;
    }
    return icu;
  }
  /* (12) "... waste dump. 1987 was proclaimed": a plain word, a full stop, then a number opening a sentence. */
  if (!icu && !glued && last == '.' && is_ascii_digit(next) && plain_word(tok, n))
    return 1;
  if (!icu) { /* a ". " that ICU did not break: suppressed, or before a lowercase word */
    size_t j = b;
    int32_t c1 = next;
    while (is_open(c1) && j < hi) {
      ieum__utf8_next(s, hi, &j);
      c1 = j < hi ? cp_at(s, hi, j) : 0;
    }
    if (glued || !(u_isupper(c1) || is_hangul(c1)) || n < 3 || tok[n - 1] != '.')
      return 0;
    int r = suffix_suppressed(ctx, tok, n);
    if (r <= 0)
      return r;
  }

  /* (3) dotted dates: "2023.1.18. 오전", "2023. 1. 18. 서울", and "2023. 1." inside one. */
  if (n >= 2 && tok[n - 1] == '.' && is_ascii_digit(tok[n - 2])) {
    if (date_part_at(s, hi, b) && digits_before(s, t, q - 1, 4) == n - 1)
      return 0;
    if (date_ends_at(s, lo, q) && !is_ascii_upper(next))
      return 0;
  }

  /* (5) a list or heading marker that opens the paragraph or follows a sentence end: "1. 제목". */
  if (!glued) {
    size_t i = start;
    while (i < q && i - start < TOKEN_MAX && is_space(cp_at(s, hi, i)))
      ieum__utf8_next(s, hi, &i);
    if (q - i <= TOKEN_MAX && marker_at(s, i, q))
      return 0;
  }

  /* (6) "!" or "?" then a lowercase word: "Yahoo! in", "“Here he comes!” she said". */
  if (!glued && is_ascii_lower(next)) {
    size_t i = q;
    while (i > lo && is_close(cp_before(s, lo, i, &p)))
      i = p;
    if (i > lo) {
      int32_t c = cp_before(s, lo, i, &p);
      if (c == '!' || c == '?')
        return 0;
    }
  }

  /* (7) a break glued to punctuation that cannot open a sentence: "(1690?~1777?)", "다.>라고". */
  if (glued && (next == '~' || next == ',' || next == ';' || next == ':' || next == 0x301C || next == 0xFF5E ||
                (is_close(next) && next != '"' && next != '\'')))
    return 0;
  return 1;
}

/*
** Next place after `*pos` (and before hi) that follows a dot and white
** space: the CLDR suppressions may hide a break there, so decide() must see
** it.  Returns SIZE_MAX when there is none; advances *pos.
*/
static size_t next_dot(const char *s, size_t hi, size_t *pos)
{
  for (size_t i = *pos; i < hi; i++) {
    if ((unsigned char)s[i] == 0xEF && i + 3 < hi && (unsigned char)s[i + 1] == 0xBC &&
        (unsigned char)s[i + 2] == 0x8E && !is_space(cp_at(s, hi, i + 3))) {
      *pos = i + 3; /* "rose．It": ICU does not break a fullwidth stop between letters */
      return i + 3;
    }
    if (s[i] == '.' && i > 0 && i + 1 < hi && is_ascii_lower(s[i - 1]) && is_ascii_digit(s[i + 1])) {
      size_t f = footnote_numbers_end(s, hi, i + 1);
      if (f) { /* "consultation.11 12 Take" */
        *pos = f;
        return f;
      }
    }
    if (s[i] == '.' && i > 0 && i + 1 < hi && is_ascii_lower(s[i - 1]) && is_ascii_upper(s[i + 1])) {
      *pos = i + 1; /* "sentence.Isn't": decide() looks at the words on both sides */
      return i + 1;
    }
    if (s[i] != '.' || i + 1 >= hi || !is_space(cp_at(s, hi, i + 1)))
      continue;
    size_t b = i + 1;
    while (b < hi && is_space(cp_at(s, hi, b)))
      ieum__utf8_next(s, hi, &b);
    *pos = b;
    if (b < hi)
      return b;
  }
  *pos = hi;
  return SIZE_MAX;
}

/*
** End of the footnote markers "[12]", "[*]" starting at s[b] ("이다.[16][17] 지진"),
** and of the white space after them; b when there are none.  A glued break
** before them moves there, so the markers stay with their sentence.
*/
static size_t footnotes_end(const char *s, size_t hi, size_t b)
{
  size_t j = b;
  for (;;) {
    size_t k = j + 1, n = 0;
    if (j >= hi || s[j] != '[')
      break;
    while (k < hi && n < 4 && (is_ascii_digit(s[k]) || s[k] == '*'))
      k++, n++;
    if (n == 0 || k >= hi || s[k] != ']')
      break;
    j = k + 1;
  }
  if (j == b)
    return b;
  while (j < hi && is_space(cp_at(s, hi, j)))
    ieum__utf8_next(s, hi, &j);
  return j;
}

/*
** An ordered list run together in one paragraph, "1. The first item 2. The
** second item", "a) one b) two", "• 9. nine • 10. ten": the paragraph opens
** with a marker (an optional bullet, 1-3 digits or one lowercase letter, then
** ".", ".)" or ")", then a space), and every later marker with the next number
** or letter, the same bullet and the same ending, after white space, starts
** a new segment.
*/
typedef struct {
  int on;         /* the paragraph opens with a list marker */
  int letter;     /* items are lettered (a, b, c) rather than numbered */
  unsigned next;  /* number or letter of the next item */
  int32_t bullet; /* the bullet before each number, or 0 */
  char end[3];    /* ".", ".)", ")" or "()" (a number or letter in parentheses, "(a)") */
  size_t first;   /* the first item, when a colon introduces the list ("Steps: 1. … 2. …"); else 0 */
} list_run;

static int is_bullet(int32_t c)
{
  return c == 0x2022 || c == 0x2043 || c == 0x00B7 || c == 0x25E6 || c == '-' || c == '*';
}

/*
** Parses a list marker at s[i] (after `bullet`, when non-zero); on success
** returns the byte after the marker's ending and sets *value (a number, or a
** letter) and, when `end` is empty, copies the marker's ending there;
** returns 0 when there is no marker, or its ending differs from a non-empty
** `end`, or no space follows.
*/
static size_t list_marker(const char *s, size_t hi, size_t i, int32_t bullet, int letter, unsigned *value, char end[3])
{
  size_t j = i, n = 0;
  if (bullet) {
    if (j >= hi || cp_at(s, hi, j) != bullet)
      return 0;
    ieum__utf8_next(s, hi, &j);
    while (j < hi && s[j] == ' ')
      j++;
  }
  int paren = j < hi && s[j] == '(';
  if (paren)
    j++;
  if (letter) {
    if (j >= hi || !is_ascii_lower(s[j]))
      return 0;
    *value = (unsigned char)s[j++];
  } else {
    *value = 0;
    while (j + n < hi && n < 4 && is_ascii_digit(s[j + n]))
      *value = *value * 10 + (unsigned)(s[j + n++] - '0');
    if (n == 0 || n > 3)
      return 0;
    j += n;
  }
  size_t e = j;
  if (paren) { /* "(a) ", "(1) " */
    if (e + 1 >= hi || s[e] != ')' || s[e + 1] != ' ')
      return 0;
    if (end[0] == 0)
      memcpy(end, "()", 3);
    return strcmp(end, "()") == 0 ? e + 1 : 0;
  }
  if (e < hi && s[e] == '.')
    e++;
  if (e < hi && s[e] == ')')
    e++;
  if (e == j || e >= hi || s[e] != ' ')
    return 0;
  if (end[0] == 0) {
    memcpy(end, s + j, e - j);
    end[e - j] = 0;
  } else if (strlen(end) != e - j || memcmp(end, s + j, e - j) != 0) {
    return 0;
  }
  return e;
}

/*
** A list that a colon introduces inside the paragraph s[lo..hi): "The
** steps are: 1. Open it. 2. Close it.", "Choose: (a) red (b) blue".  The
** first colon followed by a space and the marker "1", "a" (any ending), and
** then by a second item after it, starts a run whose items, the first one
** included, each start a segment.  One pass over the paragraph, plus one
** for the second item.
*/
static void list_after_colon(list_run *l, const char *s, size_t lo, size_t hi)
{
  unsigned v, w;
  for (size_t i = lo; i + 2 < hi; i++) {
    if (s[i] != ':' || s[i + 1] != ' ')
      continue;
    size_t m = i + 2;
    for (int letter = 0; letter < 2; letter++) {
      char end[3] = { 0 };
      size_t e = list_marker(s, hi, m, 0, letter, &v, end);
      if (e == 0 || v != (letter ? 'a' : 1u))
        continue;
      for (size_t j = e; j + 1 < hi; j++) {
        char end2[3];
        memcpy(end2, end, sizeof end2);
        if (s[j] == ' ' && s[j + 1] != ' ' && list_marker(s, hi, j + 1, 0, letter, &w, end2) != 0 && w == v + 1) {
          l->on = 1;
          l->letter = letter;
          l->bullet = 0;
          memcpy(l->end, end, sizeof l->end);
          l->next = v;
          l->first = m;
          return;
        }
      }
    }
    return; /* only the first colon */
  }
}

/* Sets up *l for the paragraph starting at s[lo] (white space skipped). */
static void list_open(list_run *l, const char *s, size_t lo, size_t hi)
{
  size_t i = lo;
  unsigned v;
  memset(l, 0, sizeof *l);
  while (i < hi && s[i] == ' ')
    i++;
  if (i < hi && is_bullet(cp_at(s, hi, i)))
    l->bullet = cp_at(s, hi, i);
  for (l->letter = 0; l->letter < 2; l->letter++) {
    l->end[0] = 0;
    if (list_marker(s, hi, i, l->bullet, l->letter, &v, l->end) != 0) {
      /* a lettered list starts at "a."; "I. ..." or "e. ..." is no list */
      if (l->letter && v != 'a')
        return;
      l->on = 1;
      l->next = v + 1;
      return;
    }
  }
  list_after_colon(l, s, i, hi);
}

/*
** Next place after `*pos` (and before hi) where the next item of the list
** run *l starts; SIZE_MAX when there is none (or no list).  Advances *pos
** and, on a find, l->next.
*/
static size_t next_item(list_run *l, const char *s, size_t hi, size_t *pos)
{
  unsigned v;
  char end[3];
  if (!l->on) {
    *pos = hi;
    return SIZE_MAX;
  }
  if (l->first && l->first >= *pos) { /* the first item after a colon */
    size_t f = l->first;
    l->first = 0;
    l->next++;
    *pos = f;
    return f;
  }
  for (size_t i = *pos; i + 1 < hi; i++) {
    if (s[i] != ' ' || s[i + 1] == ' ')
      continue;
    memcpy(end, l->end, sizeof end);
    if (list_marker(s, hi, i + 1, l->bullet, l->letter, &v, end) != 0 && v == l->next) {
      l->next++;
      *pos = i + 1;
      return i + 1;
    }
  }
  *pos = hi;
  return SIZE_MAX;
}

/* Final consonant (batchim) index of a Hangul syllable, 0 when none or not a syllable. */
static int batchim(int32_t c)
{
  return c >= 0xAC00 && c <= 0xD7A3 ? (int)((c - 0xAC00) % 28) : 0;
}

enum { JONG_N = 4, JONG_L = 8, JONG_B = 17, JONG_SS = 20 }; /* ㄴ ㄹ ㅂ ㅆ */

/* Vowel index of a Hangul syllable (ㅏ = 0, ㅐ = 1, ...). */
static int vowel(int32_t c)
{
  return c >= 0xAC00 && c <= 0xD7A3 ? (int)((c - 0xAC00) / 28 % 21) : -1;
}

enum { VOWEL_AE = 1 }; /* ㅐ: "냅다" is an adverb, not 즐겁다's adjective ending */

/*
** Non-zero when the syllables c2 c1 (c1 last) end a Korean sentence with no
** full stop ("맛있었어요 다만 …", "했다 그런데 …"): a declarative 다 after a
** tense or present-tense stem (었다, 한다, 습니다, 없다, 즐겁다 — not the
** particles 보다/마다 or names such as 플로리다, 글린다), a polite 요 (용) after
** a verbal ending (어요, 세요, 는데요 — not nouns such as 주요, 필요), 죠 (쥬),
** a question 까 (할까, 습니까 — not the connective 니까 alone), and the
** nominal endings of notes and posts (ETN: 했음, 맛집임, 권장함, 산만해짐,
** 달려옴 — not nouns such as 마음, 게임, 포함).  c3 is the syllable before c2.
*/
static int final_ending(int32_t c3, int32_t c2, int32_t c1)
{
  static const int32_t da_after[] = { 0xB2C8 /* 니 */, 0xC5C6 /* 없 */, 0xAC19 /* 같 */, 0xC88B /* 좋 */,
                                      0xC54A /* 않 */, 0xC2F6 /* 싶 */, 0xC774 /* 이 */, 0xB9CE /* 많 */,
                                      0xB9DE /* 맞 */, 0xC788 /* 있 */ };
  /* present tense -ㄴ다 / -는다 stems; "린다" is left out: it ends names (글린다, 멜린다) as often as verbs */
  static const int32_t nda_after[] = { 0xD55C /* 한 */, 0xB41C /* 된 */, 0xB294 /* 는 */, 0xAC04 /* 간 */,
                                       0xC628 /* 온 */, 0xBCF8 /* 본 */, 0xC900 /* 준 */, 0xC9C4 /* 진 */,
                                       0xB978 /* 른 */, 0xB09C /* 난 */, 0xCE5C /* 친 */, 0xC6B4 /* 운 */,
                                       0xB0B8 /* 낸 */, 0xC120 /* 선 */, 0xC0B0 /* 산 */, 0xD0C4 /* 탄 */,
                                       0xAE34 /* 긴 */, 0xC548 /* 안 */, 0xBE48 /* 빈 */, 0xD78C /* 힌 */,
                                       0xBC18 /* 반 */ };
  static const int32_t yo_after[] = { 0xC5B4 /* 어 */, 0xC544 /* 아 */, 0xC5D0 /* 에 */, 0xC608 /* 예 */,
                                      0xC138 /* 세 */, 0xB124 /* 네 */, 0xD574 /* 해 */, 0xC6CC /* 워 */,
                                      0xC918 /* 줘 */, 0xC9C0 /* 지 */, 0xB798 /* 래 */, 0xAC8C /* 게 */,
                                      0xB370 /* 데 */, 0xC11C /* 서 */, 0xAE4C /* 까 */, 0xB098 /* 나 */,
                                      0xAC00 /* 가 */, 0xC57C /* 야 */, 0xC5EC /* 여 */, 0xBD10 /* 봐 */,
                                      0xB3FC /* 돼 */, 0xC640 /* 와 */, 0xB4E0 /* 든 */, 0xAD70 /* 군 */,
                                      0xAC78 /* 걸 */, 0xB300 /* 대 */, 0xB77C /* 라 */, 0xC8E0 /* 죠 */,
                                      0xAD6C /* 구 */ };
  if (!is_hangul(c2))
    return 0;
  switch (c1) {
  case 0xB2E4: /* 다 */
    return batchim(c2) == JONG_SS || (batchim(c2) == JONG_B && vowel(c2) != VOWEL_AE) || in_list(c2, nda_after, sizeof nda_after / sizeof nda_after[0]) ||
           in_list(c2, da_after, sizeof da_after / sizeof da_after[0]);
  case 0xC694: /* 요 */
  case 0xC6A9: /* 용: 했어용, 좋아용 */
    return in_list(c2, yo_after, sizeof yo_after / sizeof yo_after[0]);
  case 0xB2F9: /* 당: 했답니당 */
    return c2 == 0xB2C8 /* 니 */;
  case 0xC8E0: /* 죠 */
  case 0xC96C: /* 쥬 */
    return 1;
  case 0xC720: /* 유: colloquial 요, 않아유, 했어유 */
    return c2 == 0xC544 /* 아 */ || c2 == 0xC5B4 /* 어 */ || c2 == 0xD574 /* 해 */ || c2 == 0xC138 /* 세 */;
  case 0xBA3C: /* 먼: 구먼, 안되는구먼 */
    return c2 == 0xAD6C /* 구 */;
  case 0xB791: /* 랑: 걸랑 (먹었걸랑) */
    return c2 == 0xAC78 /* 걸 */;
  case 0xAE4C: /* 까 */
    return batchim(c2) == JONG_L || (c2 == 0xB2C8 /* 니 */ && batchim(c3) == JONG_B);
  case 0xC74C: /* 음: 했음, 있음, 좋음 */
    return batchim(c2) == JONG_SS || c2 == 0xC88B /* 좋 */ || c2 == 0xB9CE /* 많 */;
  case 0xC784: /* 임: 것임, 거임 (not 게임, 전임, 책임) */
    return c2 == 0xAC83 /* 것 */ || c2 == 0xAC70 /* 거 */;
  case 0xD568: /* 함: 해야함 (not the nouns 포함, 매콤함, 성실함) */
    return c2 == 0xC57C /* 야 */;
  case 0xB428: /* 됨: 완료됨 */
    return 1;
  case 0xC9D0: /* 짐: 산만해짐, 추워짐 (not 흐트러짐) */
    return c2 == 0xD574 /* 해 */ || c2 == 0xC6CC /* 워 */;
  case 0xC634: /* 옴: 달려옴, 나옴 */
    return c2 == 0xB824 /* 려 */ || c2 == 0xB098 /* 나 */ || c2 == 0xB4E4 /* 들 */;
  case 0xC90C: /* 줌: 보여줌, 해줌 */
    return c2 == 0xC5EC /* 여 */ || c2 == 0xD574 /* 해 */ || c2 == 0xB824 /* 려 */;
  default:
    return 0;
  }
}

/*
** Non-zero when the word at s[b] continues the clause of an ending before
** it: "있다 보니", "했다 싶고", "크다 라는", "간다 하고".
*/
static int continues_clause(const char *s, size_t hi, size_t b)
{
  static const char *const words[] = { "보니", "보면", "싶", "라는", "라고", "라며", "하는", "하고", "하며",
                                       "하겠", "해도", "하니", "한들", "해서", "던", "하더라", "하자", "하면서",
                                       "하던", "없이", "외에", "외의" };
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
    size_t n = strlen(words[k]);
    if (hi - b >= n && memcmp(s + b, words[k], n) == 0)
      return 1;
  }
  return verb_goes_on(s, hi, b);
}

/*
** Non-zero when the word at s[b] carries on the clause of a "-다" or "-까"
** before it, in constructions of formal prose as well as of posts: a form
** of 하다 after a quoted statement without its particle ("왔다 했다", "간다
** 한다", "좋다 합니다"), 보다/말다 after a question of worry or doubt
** ("늦을까 봐", "갈까 말까"), and the alternation "X다 Y다 하다" ("왔다 갔다
** 했다"): a "-다" word followed by a form of 하다.  Looks at most TOKEN_MAX
** bytes past b.
*/
static int verb_goes_on(const char *s, size_t hi, size_t b)
{
  static const char *const starts[] = { "했", "한다", "합니", "하였", "하여", "봐", "말까", "말지" };
  static const char *const hada[] = { "했", "한다", "합니", "하였", "하는", "하고", "하며" };
  for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
    size_t n = strlen(starts[k]);
    if (hi - b >= n && memcmp(s + b, starts[k], n) == 0)
      return 1;
  }
  size_t e = b;
  while (e < hi && e - b < TOKEN_MAX && s[e] != ' ')
    e++;
  if (e - b < 6 || e >= hi || e - b >= TOKEN_MAX || memcmp(s + e - 3, "\xEB\x8B\xA4", 3) != 0) /* 다 */
    return 0;
  for (size_t k = 0; k < sizeof hada / sizeof hada[0]; k++) {
    size_t n = strlen(hada[k]);
    if (hi - (e + 1) >= n && memcmp(s + e + 1, hada[k], n) == 0)
      return 1;
  }
  return 0;
}

/*
** Emoticons and laughter that close a sentence in posts: jamo runs (ㅋㅋ,
** ㅎㅎ, ㅠㅠ, ㄷㄷ), "^^", "~", stars and hearts, and pictographs (emoji, with
** their skin-tone and joiner marks).
*/
static int is_emote(int32_t c)
{
  return (c >= 0x3131 && c <= 0x318E) || c == '^' || c == '~' || c == 0xFF5E || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x1F000 && c <= 0x1FAFF) || c == 0xFE0F || c == 0x200D || c == 0x2B50 || c == 0x2661 || c == 0x2665;
}

/*
** Laughter, crying and assent, "ㅋㅋ", "ㅎㅎ", "ㅠㅠ", "ㅜ", "ㅇㅇ", "^^": a
** sentence end of its own; the weight of one mark (two make an end, a
** crying vowel alone is one already).
*/
static int laugh_weight(int32_t c)
{
  if (c == 0x3160 /* ㅠ */ || c == 0x315C /* ㅜ */)
    return 2;
  return c == 0x314B /* ㅋ */ || c == 0x314E /* ㅎ */ || c == 0x3147 /* ㅇ */ || c == '^';
}

/*
** End of the emoticons starting at s[b] when they close the sentence
** before b ("있었습니다 ㅎㅎ 그리고", "답죠?ㅎㅅㅎ 건물"): a run of is_emote()
** characters, then white space or a closing bracket or the end; b when
** there is none.  The white space after the run is skipped too.
*/
static size_t emote_end(const char *s, size_t hi, size_t b)
{
  size_t j = b, n = 0;
  while (j < hi && n < TOKEN_MAX && is_emote(cp_at(s, hi, j)) && cp_at(s, hi, j) != '~') {
    ieum__utf8_next(s, hi, &j);
    n++;
  }
  if (n == 0)
    return b;
  while (j < hi && is_close(cp_at(s, hi, j)) && n++ < TOKEN_MAX)
    ieum__utf8_next(s, hi, &j);
  if (j < hi && !is_space(cp_at(s, hi, j)))
    return b;
  while (j < hi && is_space(cp_at(s, hi, j)))
    ieum__utf8_next(s, hi, &j);
  return j;
}

/*
** Non-zero when a quotation that ends in a sentence mark (c2, then its
** closing mark c1) is followed, at s[b], by the opening mark of another:
** "“…사야죠…” “다른 …”", two quoted sentences in a row with nothing to
** join them.  ICU sees no end there: "…" is no sentence terminator to it.
*/
static int quotes_in_a_row(const char *s, size_t hi, int32_t c2, int32_t c1, size_t b)
{
  int32_t next = cp_at(s, hi, b);
  if (!(c1 == 0x201D || c1 == '"') || !(next == 0x201C || next == '"'))
    return 0;
  return c2 == '.' || c2 == '!' || c2 == '?' || c2 == 0x2026;
}

/*
** Non-zero when the full stop at s[i] ends a sentence glued to the next
** one with no space, where ICU sees none: after a sentence-final ending
** ("했다.", "입니다.") and before a digit ("떠났다.1990년에", ICU's rule SB6
** keeps "3.5" whole) or a typographic opening quote ("떠났다.“돌아오겠다”").
** A digit before the stop ("2017.6.10.") is a date, never such an end.
*/
static int glued_end(const char *s, size_t lo, size_t hi, size_t i)
{
  size_t p1, p2, p3 = 0;
  if (i < lo + 6 || i + 1 >= hi)
    return 0;
  int32_t next = cp_at(s, hi, i + 1);
  if (!is_ascii_digit(next) && next != 0x201C && next != 0x2018 && next != 0x300C && next != 0x300E)
    return 0;
  int32_t c1 = cp_before(s, lo, i, &p1);
  int32_t c2 = cp_before(s, lo, p1, &p2);
  int32_t c3 = p2 > lo ? cp_before(s, lo, p2, &p3) : 0;
  return final_ending(c3, c2, c1);
}

/*
** Start of the run of "…" (U+2026) and "⋯" (U+22EF, the midline ellipsis
** of Korean word processors) ending at x, at most TOKEN_MAX bytes; x when
** there is none.  ICU sees no sentence end after either, but after a
** sentence-final ending they close the sentence as "..." does
** ("다했다… 그러나", "다했다⋯ 그러나").
*/
static size_t ellipsis_start(const char *s, size_t lo, size_t x)
{
  size_t p, e = x;
  while (e > lo && x - e < TOKEN_MAX) {
    int32_t c = cp_before(s, lo, e, &p);
    if (c != 0x2026 && c != 0x22EF)
      break;
    e = p;
  }
  return e;
}

/*
** Next place after `*pos` (and before hi) that starts a Hangul word (or an
** opening quote) after white space, following a word with a sentence-final
** ending (final_ending()), possibly followed by emoticons ("보세요~^^ 루키",
** "있어요 ㅎㅎ 그리고"), or following laughter alone ("가오리살ㅎㅎ 항정살");
** SIZE_MAX when there is none.  Advances *pos.
*/
static size_t next_ending(const char *s, size_t lo, size_t hi, size_t *pos)
{
  for (size_t i = *pos; i < hi; i++) {
    if (s[i] == '.' && glued_end(s, lo, hi, i)) {
      *pos = i + 1;
      return i + 1;
    }
    if (s[i] != ' ' || i < lo + 6)
      continue;
    size_t x = i, p1, p2, p3 = 0, emotes = 0, laughs = 0;
    while (x > lo && emotes < TOKEN_MAX) {
      int32_t c = cp_before(s, lo, x, &p1);
      if (!is_emote(c))
        break;
      laughs += (size_t)laugh_weight(c);
      emotes++;
      x = p1;
    }
    if (emotes > 0)
      while (x > lo && s[x - 1] == ' ')
        x--;
    x = ellipsis_start(s, lo, x);
    if (x < lo + 6)
      continue;
    int32_t c1 = cp_before(s, lo, x, &p1);
    int32_t c2 = cp_before(s, lo, p1, &p2);
    int32_t c3 = p2 > lo ? cp_before(s, lo, p2, &p3) : 0;
    /* "<죽자. 민우야. 그냥 지금 죽자.> 주머니": a quotation that ends a sentence, closed by a mark ICU does not know */
    int quoted = c1 == '>' || c1 == 0x3009 || c1 == 0x300B;
    size_t b = i;
    while (b < hi && is_space(cp_at(s, hi, b)))
      ieum__utf8_next(s, hi, &b);
    if (b < hi && quotes_in_a_row(s, hi, c2, c1, b)) {
      *pos = b;
      return b;
    }
    if (!final_ending(c3, c2, c1) && laughs < 2 && !(quoted && (c2 == '.' || c2 == '!' || c2 == '?')))
      continue;
    size_t w = b;
    if (w < hi && is_open(cp_at(s, hi, w)))
      ieum__utf8_next(s, hi, &w);
    /* a number after the ending opens a sentence or a list item: "배이죠 2021년 한해만", "게임이다 1. 화면" */
    if (w < hi && (is_hangul(cp_at(s, hi, w)) || is_ascii_digit(s[w]) || is_ascii_upper(s[w])) && !continues_clause(s, hi, b)) {
      *pos = b;
      return b;
    }
  }
  *pos = hi;
  return SIZE_MAX;
}

/*
** Longest quotation or bracketed aside, in bytes (about 200 Hangul
** syllables), inside which Korean text is not broken: KSS and Kiwi keep a
** quoted speech "문제없어. 정성을 다해서 … 거야." whole, and Korean news quotes
** whole sentences before 라고 말했다.  A longer one is more likely an
** unpaired mark than a quotation.
*/
#define QUOTE_MAX 600

/* Quotation marks and brackets that pair (open, close); ASCII quotes pair with themselves. */
static const int32_t quote_pairs[][2] = {
  { 0x201C, 0x201D }, /* “ ” */
  { 0x2018, 0x2019 }, /* ‘ ’ */
  { '"', '"' },       { '\'', '\'' }, { '<', '>' },
  { 0x300C, 0x300D }, /* 「 」 */
  { 0x300E, 0x300F }, /* 『 』 */
  { 0x300A, 0x300B }, /* 《 》 */
  { 0x3008, 0x3009 }, /* 〈 〉 */
  { '(', ')' },       { 0xFF08, 0xFF09 }, /* （ ） */
};
#define QUOTE_KINDS (sizeof quote_pairs / sizeof quote_pairs[0])

/*
** The quotations of one Korean paragraph, found left to right: (open,
** close] is the current one, in which no break is taken.  close_at[k] is the
** first closing mark of kind k at or after the last place searched (hi when
** none), so every search moves forward and the whole pass stays linear.
*/
typedef struct {
  size_t scan;                  /* where the search for the next opening mark resumes */
  size_t open, close;           /* current quotation, or open == close == 0 */
  size_t close_at[QUOTE_KINDS]; /* next closing mark of each kind (hi: none), SIZE_MAX: not searched yet */
} quote_run;

static void quote_open_run(quote_run *r, size_t lo)
{
  memset(r, 0, sizeof *r);
  r->scan = lo;
  for (size_t k = 0; k < QUOTE_KINDS; k++)
    r->close_at[k] = SIZE_MAX;
}

/*
** First closing mark of kind k at or after `from`, or hi.  `from` only grows
** from call to call, so a cached answer at or after it is still the first.
*/
static size_t quote_close(quote_run *r, const char *s, size_t hi, size_t k, size_t from)
{
  if (r->close_at[k] != SIZE_MAX && from <= r->close_at[k])
    return r->close_at[k];
  size_t i = from;
  while (i < hi && cp_at(s, hi, i) != quote_pairs[k][1])
    ieum__utf8_next(s, hi, &i);
  r->close_at[k] = i;
  return i;
}

/*
** Non-zero when the opening mark c at s[i] may open a quotation: ASCII
** quotes and "<" only at a word start (after white space, an opening mark or
** the paragraph start) and before a non-space; "(" only glued to the word
** before ("끝마치기를(할머니가 …)", "화폐(high-powered …)"): an aside after
** white space or a full stop may hold sentences of its own.
*/
static int quote_may_open(const char *s, size_t lo, size_t hi, size_t i, int32_t c)
{
  size_t p, j = i;
  int32_t before = i > lo ? cp_before(s, lo, i, &p) : ' ';
  ieum__utf8_next(s, hi, &j);
  if (j >= hi || is_space(cp_at(s, hi, j)))
    return 0;
  if (c == '(' || c == 0xFF08)
    return is_hangul(before) || u_isalnum(before);
  if (c == '"' || c == '\'' || c == '<')
    return is_space(before) || is_open(before) || before == ',' || i == lo;
  return 1;
}

/*
** Non-zero when c opens a quotation of the double (“ "), single (‘ ') or
** parenthesis (( （) family.  Korean news mixes the typographic and the
** ASCII marks in one quotation ("“…보인다\"고", "\"…있다”고", "(ASEAN）"), so
** a quotation of any family closes at the first closing mark of its
** family, of either shape.
*/
static int quote_family(int32_t c)
{
  return c == 0x201C || c == '"' || c == 0x2018 || c == '\'' || c == '(' || c == 0xFF08;
}

/*
** Closing mark of the quotation of the family of `open` that starts before
** `from`: the first mark of the family at or after `from` when it can close
** (”, ’, ), ）, or an ASCII quote glued to the word before it); hi when
** that first mark opens another quotation (“, ‘, (, （, or an ASCII quote
** at a word start):
** the first one is then unpaired ("수상작가, “일본 … 수준 일본인 … “지난해 …”")
** and holds no sentence.  Looks at most QUOTE_MAX bytes; each call stops
** at the first mark of the family, so successive calls never cover the
** same bytes twice.
*/
static size_t family_close(const char *s, size_t hi, size_t from, int32_t open)
{
  int dbl = open == 0x201C || open == '"';
  int32_t typo_open = dbl ? 0x201C : 0x2018, typo_close = dbl ? 0x201D : 0x2019, ascii = dbl ? '"' : '\'';
  size_t i = from, p;
  if (open == '(' || open == 0xFF08) {
    typo_open = 0xFF08;
    typo_close = 0xFF09;
    ascii = 0;
  }
  while (i < hi && i - from <= QUOTE_MAX) {
    int32_t c = cp_at(s, hi, i);
    if (ascii == 0 && (c == ')' || c == '('))
      return c == ')' ? i : hi;
    if (c == typo_close)
      return i;
    if (c == typo_open)
      return hi;
    if (ascii != 0 && c == ascii) {
      int32_t before = i > from ? cp_before(s, from, i, &p) : 0;
      size_t j = i + 1;
      int32_t after = j < hi ? cp_at(s, hi, j) : ' ';
      if (i > from && is_space(before) && !is_space(after))
        return hi;
      return i;
    }
    ieum__utf8_next(s, hi, &i);
  }
  return hi;
}

/*
** Non-zero when a break before s[b] falls inside a quotation of the
** paragraph s[lo..hi): after its opening mark, up to and including its
** closing mark.  Calls come with b increasing.
*/
static int in_quote(quote_run *r, const char *s, size_t lo, size_t hi, size_t b)
{
  while (r->close < b && r->scan < b) {
    size_t i = r->scan;
    int32_t c = cp_at(s, hi, i);
    ieum__utf8_next(s, hi, &r->scan);
    for (size_t k = 0; k < QUOTE_KINDS; k++) {
      if (c != quote_pairs[k][0] || !quote_may_open(s, lo, hi, i, c))
        continue;
      size_t e = quote_family(c) ? family_close(s, hi, r->scan, c) : quote_close(r, s, hi, k, r->scan);
      if (e < hi && e - i <= QUOTE_MAX) {
        r->open = i;
        r->close = e;
        r->scan = e;
        ieum__utf8_next(s, hi, &r->scan);
      }
      break;
    }
  }
  return r->open < b && b <= r->close;
}

/* Adds text[start,end) of paragraph `para` with `role`. */
static int add(seg_ctx *c, size_t start, size_t end, uint32_t para, int role)
{
  size_t n = c->doc->n;
  int rc = ieum_doc__add(c->doc, c->text, start, end, para);
  if (rc == IEUM_OK && c->doc->n > n)
    c->doc->segs[n].role = role;
  return rc;
}

/*
** The text text[lo..hi) with every "\n" turned into " " (BLANK mode: a single
** "\n" is white space, not ICU's ParaSep), or the text itself when it has none.
*/
static int flat(seg_ctx *c, size_t lo, size_t hi, const char **out)
{
  const char *p = c->text + lo;
  size_t n = hi - lo;
  int rc;
  *out = p;
  if (!memchr(p, '\n', n))
    return IEUM_OK;
  ieum__buf_clear(&c->scratch);
  if ((rc = ieum__buf_put(&c->scratch, p, n)) != 0)
    return rc;
  for (char *x = c->scratch.ptr; (x = memchr(x, '\n', n - (size_t)(x - c->scratch.ptr))) != NULL;)
    *x++ = ' ';
  *out = c->scratch.ptr;
  return IEUM_OK;
}

/* Splits text[lo..hi) (not blank) with the SRX rules into segments of paragraph `para`. */
static int srx_paragraph(seg_ctx *c, size_t lo, size_t hi, uint32_t para)
{
  const char *p;
  const size_t *br;
  size_t nb, start = lo;
  int rc;
  if (hi - lo > INT32_MAX)
    return ieum__error_set(IEUM_ELIMIT, "segment: paragraph at byte %zu is longer than 2 GB", lo);
  if ((rc = flat(c, lo, hi, &p)) != 0 || (rc = ieum_srx__breaks(c->srx, p, hi - lo, lo, &br, &nb)) != 0)
    return rc;
  for (size_t k = 0; k < nb; k++) {
    if ((rc = add(c, start, lo + br[k], para, IEUM_ROLE_BODY)) != 0)
      return rc;
    start = lo + br[k];
  }
  return add(c, start, hi, para, IEUM_ROLE_BODY);
}

/* Splits text[lo..hi) (not blank) into sentences of paragraph `para`, each with `role`. */
static int sentences(seg_ctx *c, size_t lo, size_t hi, uint32_t para, int role)
{
  const char *s = c->text;
  const char *p = s + lo;
  size_t n = hi - lo;
  UErrorCode st = U_ZERO_ERROR;
  int rc;

  if (n > INT32_MAX)
    return ieum__error_set(IEUM_ELIMIT, "segment: paragraph at byte %zu is longer than 2 GB", lo);
  if ((rc = flat(c, lo, hi, &p)) != 0)
    return rc;
  c->ut = utext_openUTF8(c->ut, p, (int64_t)n, &st);
  if (U_FAILURE(st))
    return icu_fail("utext_openUTF8", st);
  ubrk_setUText(c->bi, c->ut, &st);
  if (U_FAILURE(st))
    return icu_fail("ubrk_setUText", st);

  size_t start = lo, scan = lo;
  int32_t ib = ubrk_first(c->bi);
  ib = ubrk_next(c->bi);
  size_t fb = next_dot(s, hi, &scan), escan = lo;
  size_t eb = c->korean ? next_ending(s, lo, hi, &escan) : SIZE_MAX;
  list_run list;
  quote_run quotes;
  list_open(&list, s, lo, hi);
  quote_open_run(&quotes, lo);
  size_t lscan = lo, lb = next_item(&list, s, hi, &lscan);
  for (;;) {
    size_t icu_b = ib == UBRK_DONE ? SIZE_MAX : lo + (size_t)ib;
    size_t b = icu_b < fb ? icu_b : fb;
    if (eb < b)
      b = eb;
    if (lb < b)
      b = lb;
    if (b >= hi)
      break;
    if (c->korean && in_quote(&quotes, s, lo, hi, b))
      rc = 0; /* inside a quotation */
    else if (b == lb)
      rc = 1; /* the next item of a list run */
    else if (b == eb && b != icu_b && b != fb)
      rc = 1; /* a sentence-final ending before a new word */
    else if ((rc = decide(c, lo, hi, start, b, b == icu_b)) < 0)
      return rc;
    if (rc) {
      size_t f = b, ob;
      if (b > start + 1) { /* ICU counts opening brackets as Close: "다.(" keeps "(" for the next sentence */
        int32_t o = cp_before(s, start, b, &ob);
        if (is_open(o) && o != '"' && o != '\'')
          f = ob;
      }
      size_t fe = footnotes_end(s, hi, f);
      size_t cut = fe > f ? fe : f; /* "다.[1] 다음" keeps its footnote, "다.[파트]를" opens with its bracket */
      cut = emote_end(s, hi, cut); /* "좋았어요 ㅎㅎ" keeps its laughter */
      if (cut >= hi)
        break;
      if ((rc = add(c, start, cut, para, role)) != 0)
        return rc;
      start = cut;
      if (cut > b)
        b = cut;
    }
    while (ib != UBRK_DONE && lo + (size_t)ib <= b)
      ib = ubrk_next(c->bi);
    while (fb <= b)
      fb = next_dot(s, hi, &scan);
    while (eb <= b)
      eb = next_ending(s, lo, hi, &escan);
    while (lb <= b)
      lb = next_item(&list, s, hi, &lscan);
  }
  return add(c, start, hi, para, role);
}

/* Non-zero when text[i..e) holds only white space. */
static int blank(const char *s, size_t i, size_t e)
{
  while (i < e) {
    if (!is_space(ieum__utf8_next(s, e, &i)))
      return 0;
  }
  return 1;
}

/* Non-zero when s[i-1] lets a credit start at s[i]: paragraph start, white space, or a sentence end. */
static int credit_may_start(const char *s, size_t lo, size_t i)
{
  size_t p;
  if (i == lo)
    return 1;
  int32_t c = cp_before(s, lo, i, &p);
  return is_space(c) || c == '.' || c == '!' || c == '?' || is_close(c);
}

/*
** Splits the paragraph text[lo..hi) (not blank) of paragraph `para`: a
** byline or dateline that opens it and every credit in it become segments
** of their own, the text between is split into sentences with `role`
** (IEUM_ROLE_CAPTION for a "▲" paragraph, and for one that ends with a photo
** credit).
*/
static int paragraph(seg_ctx *c, size_t lo, size_t hi, uint32_t para, int role)
{
  const char *s = c->text;
  size_t first = c->doc->n, start, e;
  int rc, credit_end = 0;
  if (c->srx)
    return srx_paragraph(c, lo, hi, para);
  if (ieum_news__caption(s, lo, hi))
    role = IEUM_ROLE_CAPTION;
  e = ieum_news__byline(s, lo, hi);
  if (e > lo) {
    if ((rc = add(c, lo, e, para, IEUM_ROLE_BYLINE)) != 0)
      return rc;
    first = c->doc->n;
  }
  start = e;
  for (size_t i = e; i < hi; i++) {
    unsigned char ch = (unsigned char)s[i];
    /* credits open with a bracket, "ⓒ" (E2 93 92), "©" (C2 A9), "C"opyright or "저"작권자 (EC A0 80) */
    if (!(ch == '[' || ch == '(' || ch == '<' || ch == 0xE2 || ch == 0xE3 || ch == 0xEF || ch == 0xC2 ||
          ch == 'C' || ch == 0xEC) ||
        !credit_may_start(s, lo, i))
      continue;
    size_t ce = ieum_news__credit(s, i, hi);
    if (ce == i && (ce = ieum_news__end_credit(s, lo, i, hi)) == i)
      continue;
    if (!blank(s, start, i) && (rc = sentences(c, start, i, para, role)) != 0)
      return rc;
    if ((rc = add(c, i, ce, para, IEUM_ROLE_CREDIT)) != 0)
      return rc;
    credit_end = blank(s, ce, hi) && (s[i] == '[' || s[i] == '(' || s[i] == '<');
    start = i = ce;
    if (i >= hi)
      break;
    i--;
  }
  if (!blank(s, start, hi) && (rc = sentences(c, start, hi, para, role)) != 0)
    return rc;
  if (credit_end) /* a photo credit closes the paragraph: the text before it is the photo's caption */
    for (size_t k = first; k < c->doc->n; k++)
      if (c->doc->segs[k].role == IEUM_ROLE_BODY || c->doc->segs[k].role == IEUM_ROLE_HEADLINE)
        c->doc->segs[k].role = IEUM_ROLE_CAPTION;
  return IEUM_OK;
}


/*
** Adds paragraph `p` as article.c classified it: furniture only when
** `keep`, other whole paragraphs as one segment, the rest through
** paragraph().  *para counts the paragraphs added.
*/
static int article_paragraph(seg_ctx *c, const ieum_article_para *p, uint32_t *para, int keep)
{
  int rc;
  if ((p->role == IEUM_ROLE_FURNITURE || p->role == IEUM_ROLE_DATELINE) && !keep)
    return IEUM_OK;
  if (p->whole)
    rc = add(c, p->lo, p->hi, *para, p->role);
  else
    rc = paragraph(c, p->lo, p->hi, *para, p->role);
  (*para)++;
  return rc;
}

/* "<primary language>@ss=standard", or "@ss=standard" (root) for "und". */
static void make_locale(char out[LOCALE_MAX], const char *lang)
{
  size_t n = 0;
  if (lang && strcmp(lang, "und") != 0)
    while (lang[n] && lang[n] != '@' && n < LOCALE_MAX - sizeof "@ss=standard")
      n++;
  memcpy(out, lang ? lang : "", n);
  memcpy(out + n, "@ss=standard", sizeof "@ss=standard");
}

int ieum_segment__sentences(ieum_doc *doc, const char *text, size_t len, const ieum_segment_options *opts)
{
  seg_ctx c = { doc, text, NULL, NULL, IEUM_BUF_INIT, NULL, NULL, NULL, { 0 }, NULL, 0 };
  UErrorCode st = U_ZERO_ERROR;
  char locale[LOCALE_MAX];
  uint32_t para = 0;
  int rc = IEUM_OK;
  ieum_article_para *paras = NULL;
  size_t np = 0, pcap = 0;

  if (len == 0 || blank(text, 0, len))
    return IEUM_OK;
  if (opts && opts->srx) {
    if ((rc = ieum_srx__compile(&c.srx, opts->srx, opts->lang)) != 0)
      goto done;
  }
  make_locale(locale, opts ? opts->lang : NULL);
  c.locale = locale;
  c.korean = strncmp(locale, "ko", 2) == 0 && (locale[2] == '@' || locale[2] == '-' || locale[2] == '_');
  c.bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
  if (U_FAILURE(st)) {
    rc = icu_fail("ubrk_open", st);
    goto done;
  }
  int mode = opts ? opts->paragraphs : IEUM_PARAGRAPH_AUTO;
  ieum_para__plan plan = { 0, 0 };
  if (mode == IEUM_PARAGRAPH_AUTO)
    ieum_para__plan_text(&plan, text, len);
  size_t i = 0;
  while (i < len) {
    size_t e = i;
    while (e < len && text[e] != '\n')
      e++;
    if (blank(text, i, e)) {
      i = e + 1;
      continue;
    }
    size_t lo = i;
    if (mode != IEUM_PARAGRAPH_LINE) { /* extend over following non-blank lines */
      for (size_t ls = lo;;) {
        size_t ne = e + 1;
        if (e >= len)
          break;
        while (ne < len && text[ne] != '\n')
          ne++;
        if (blank(text, e + 1, ne) ||
            (mode == IEUM_PARAGRAPH_AUTO && !ieum_para__joins(&plan, text, ls, e, e + 1, ne)))
          break;
        ls = e + 1;
        e = ne;
      }
    }
    if (np == pcap) {
      size_t cap = pcap ? pcap * 2 : 64;
      ieum_article_para *q = ieum__reallocarray(paras, cap, sizeof *q);
      if (!q) {
        rc = ieum__error_oom();
        goto done;
      }
      paras = q;
      pcap = cap;
    }
    paras[np].lo = lo;
    paras[np].hi = e;
    paras[np].role = IEUM_ROLE_BODY;
    paras[np++].whole = 0;
    i = e + 1;
  }
  if (!c.srx)
    ieum_article__roles(text, paras, np);
  for (size_t k = 0; k < np; k++)
    if ((rc = article_paragraph(&c, &paras[k], &para, opts && opts->keep_furniture)) != 0)
      goto done;

done:
  ieum__free(paras);
  ieum_srx__run_free(c.srx);
  utext_close(c.probe_ut);
  ubrk_close(c.probe);
  utext_close(c.ut);
  ubrk_close(c.bi);
  ieum_buf_dispose(&c.scratch);
  return rc;
}
