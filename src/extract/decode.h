/* decode.h - placeholder. */
