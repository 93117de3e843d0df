/* xml.h - placeholder, written by the OOXML/ODF work. */
