// C shim over hiredis. Only APIs present in both hiredis 0.14 (Debian's libhiredis-dev) and 1.x
// are used: the reply reader and the argv command formatter. Sockets are owned by SwiftNIO.
#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

#include <stddef.h>
#include <hiredis/hiredis.h>

/// Creates a reply reader with hiredis' default reply objects. `maxbuf` bounds the idle buffer
/// hiredis keeps after a large reply (it frees a larger one once it has been consumed).
static inline redisReader *chiredis_reader_create(size_t maxbuf) {
    redisReader *reader = redisReaderCreate();
    if (reader != NULL) {
        reader->maxbuf = maxbuf;
    }
    return reader;
}

static inline void chiredis_reader_free(redisReader *reader) { redisReaderFree(reader); }

/// Appends bytes read from the socket to the reader's buffer. Returns REDIS_OK or REDIS_ERR.
static inline int chiredis_reader_feed(redisReader *reader, const void *bytes, size_t length) {
    return redisReaderFeed(reader, (const char *)bytes, length);
}

/// Takes the next complete reply, if any: REDIS_OK with `*reply` NULL means "need more bytes".
static inline int chiredis_reader_next(redisReader *reader, redisReply **reply) {
    void *object = NULL;
    int status = redisReaderGetReply(reader, &object);
    *reply = (redisReply *)object;
    return status;
}

/// The reader's protocol error text, or NULL when it has none.
static inline const char *chiredis_reader_error(const redisReader *reader) {
    return reader->err ? reader->errstr : NULL;
}

static inline void chiredis_reply_free(redisReply *reply) { freeReplyObject(reply); }

/// Formats one command in the RESP multi-bulk protocol. Returns the length, or -1 on failure;
/// the bytes must be released with `chiredis_command_free`.
static inline long long chiredis_format_argv(char **target, int argc, const char **argv, const size_t *lengths) {
    return (long long)redisFormatCommandArgv(target, argc, argv, lengths);
}

static inline void chiredis_command_free(char *command) { redisFreeCommand(command); }

enum {
    CHIREDIS_REPLY_STRING = REDIS_REPLY_STRING,
    CHIREDIS_REPLY_ARRAY = REDIS_REPLY_ARRAY,
    CHIREDIS_REPLY_INTEGER = REDIS_REPLY_INTEGER,
    CHIREDIS_REPLY_NIL = REDIS_REPLY_NIL,
    CHIREDIS_REPLY_STATUS = REDIS_REPLY_STATUS,
    CHIREDIS_REPLY_ERROR = REDIS_REPLY_ERROR,
    CHIREDIS_OK = REDIS_OK,
    CHIREDIS_ERR = REDIS_ERR,
};

#endif
