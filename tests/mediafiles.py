"""Tiny but real recordings, films and captions, made in the test instead of downloaded.

The MP3 is silence a browser decodes (MPEG-1 Layer III frames whose side information is all
zeros); the Ogg page carries a real OpusHead with its checksum; the MP4 and WebM files are only
their first box or element, which is all the checker reads; `webm_video` is a whole film, made
by FFmpeg's VP8 encoder through PyAV, for the browser to play.
"""

from __future__ import annotations

import io
import struct

import av
from PIL import Image

# MPEG-1 Layer III, no CRC, 32 kbit/s, 44.1 kHz, mono: 104 bytes a frame, 1152 samples.
MP3_FRAME = b"\xff\xfb\x10\xc4" + bytes(100)
FRAME_SECONDS = 1152 / 44100


def mp3_bytes(seconds: float = 1.0, *, id3: bool = True) -> bytes:
    """`seconds` of silence, after an ID3v2.3 tag with a title when `id3`."""
    frames = MP3_FRAME * max(1, round(seconds / FRAME_SECONDS))
    if not id3:
        return frames
    title = b"\x03Balises"  # encoding byte (UTF-8), then the text
    frame = b"TIT2" + struct.pack(">I", len(title)) + b"\x00\x00" + title
    size = len(frame)
    synchsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + synchsafe + frame + frames


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def opus_bytes() -> bytes:
    """The first page of an Ogg Opus stream: its OpusHead packet, checksummed."""
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    page = b"OggS\x00\x02" + bytes(8) + struct.pack("<I", 1) + bytes(4) + struct.pack("<I", 0)
    page += bytes([1, len(head)]) + head
    crc = _ogg_crc(page)
    return page[:22] + struct.pack("<I", crc) + page[26:]


def m4a_bytes() -> bytes:
    return b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom" + bytes(32)


def mp4_bytes() -> bytes:
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(32)


def webm_bytes() -> bytes:
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01" + bytes(32)


def vtt_text(line: str = "Bonjour, ici Val-de-Loir.") -> str:
    return f"WEBVTT\n\n00:00.000 --> 00:01.000\n{line}\n"


def webm_video(seconds: float = 1.0) -> bytes:
    """A real WebM film (VP8, 64×48, 10 frames a second) that a browser decodes, so its player
    reads a duration and loads its captions: `webm_bytes` above only has the container's magic."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as film:
        stream = film.add_stream("libvpx", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for n in range(round(seconds * 10)):
            still = Image.new("RGB", (64, 48), (n * 20 % 256, 110, 160))
            film.mux(stream.encode(av.VideoFrame.from_image(still)))
        film.mux(stream.encode())
    return out.getvalue()
