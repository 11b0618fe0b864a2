// libxml2 for Swift: the headers feedwatch uses, and functions in place of libxml2's global variables.
#ifndef FEEDWATCH_CLIBXML2_SHIM_H
#define FEEDWATCH_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its ICU headers clash with the toolchain's own ICU module.
// Swift never touches the ICU fields, so hide them.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

/// Frees memory that libxml2 allocated (xmlFree is a global function pointer, unsafe to touch from Swift).
static inline void clibxml2_free(void *_Nullable p) {
    if (p) xmlFree(p);
}

/// An external entity loader that refuses every load: no file, no network, no DTD.
static inline xmlParserInputPtr _Nullable clibxml2_deny_loader(const char *_Nullable url, const char *_Nullable id,
                                                              xmlParserCtxtPtr _Nullable ctxt) {
    (void)url; (void)id; (void)ctxt;
    return NULL;
}

/// Installs the deny-all external entity loader for the whole process.
static inline void clibxml2_install_deny_loader(void) {
    xmlSetExternalEntityLoader(clibxml2_deny_loader);
}

/// Silences libxml2's default printing of errors to stderr; callers collect errors themselves.
static inline void clibxml2_silent_error(void *_Nullable ctx, const char *_Nullable msg, ...) {
    (void)ctx; (void)msg;
}

static inline void clibxml2_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, clibxml2_silent_error);
}

#endif
