/*
 * MIME types of static files, from the file name's extension.
 */
#ifndef CAPSULED_MIME_H
#define CAPSULED_MIME_H

/*
 * The type for a file name or path (its last extension, any case);
 * "application/octet-stream" when unknown.  Text types carry their
 * charset; text/gemini carries none (the caller adds lang).
 */
const char	*mime_type(const char *path);

#endif
