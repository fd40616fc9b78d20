"""One encoder and one decoder per direction, with messages a person can act on."""

from datetime import datetime
from typing import Any, TypeVar

import msgspec

from protocol.events import EVENT_TYPES, GenericEvent, KnownEvent
from protocol.messages import SERVER_MESSAGE_TYPES, ClientMessage, ServerMessage

T = TypeVar("T")

_encoder = msgspec.json.Encoder()
_client_decoder = msgspec.json.Decoder(ClientMessage)
_server_decoder = msgspec.json.Decoder(ServerMessage)
_generic_event_decoder = msgspec.json.Decoder(GenericEvent)


class BadMessage(ValueError):
    """A frame or an argument set that does not fit the contract; `str()` says why."""


def encode(message: msgspec.Struct) -> bytes:
    """Encode any protocol Struct as one UTF-8 JSON object."""
    return _encoder.encode(message)


def _explain(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return f"a string is not valid UTF-8: {text}"
    if isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError):
        return f"not valid JSON: {text}"
    if text.startswith("Expected `object`") and " - at `" not in text:
        return f"a frame must be one JSON object: {text}"
    if "`$.type`" in text and text.startswith("Invalid value"):
        return f"unknown message type: {text}"
    if "missing required field `type`" in text:
        return "a frame must have a string field `type`"
    return text


def decode_client(frame: bytes | str) -> ClientMessage:
    """Decode a frame sent by a client, or raise `BadMessage` saying what was wrong."""
    try:
        message: ClientMessage = _client_decoder.decode(frame)
        return message
    except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError) as exc:
        raise BadMessage(_explain(exc)) from None


def decode_server(frame: bytes | str) -> ServerMessage | GenericEvent:
    """Decode a frame sent by the hub.

    An event of a type this version does not know comes back as `GenericEvent`, so a
    client keeps counting `seq` across a newer hub's additions.
    """
    try:
        decoded: ServerMessage = _server_decoder.decode(frame)
        return decoded
    except msgspec.ValidationError as exc:
        try:
            generic = _generic_event_decoder.decode(frame)
        except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
            raise BadMessage(_explain(exc)) from None
        if generic.type in EVENT_TYPES or generic.type in SERVER_MESSAGE_TYPES:  # known type, wrong shape
            raise BadMessage(_explain(exc)) from None
        return generic
    except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError) as exc:
        raise BadMessage(_explain(exc)) from None


def convert_args(args: dict[str, Any], type_: type[T]) -> T:
    """Validate a command's `args` against its Struct, or raise `BadMessage`."""
    try:
        return msgspec.convert(args, type_)
    except msgspec.ValidationError as exc:
        text = str(exc)
        if " - at `$" in text:
            raise BadMessage(text.replace("`$", "`args")) from None
        raise BadMessage(f"{text} - in `args`") from None


def event_frame(event: KnownEvent) -> bytes:
    """Encode an event for the wire and for the event log (the same bytes serve both)."""
    return _encoder.encode(event)


def utc_text(moment: datetime) -> str:
    """RFC 3339 text of a UTC instant, as the feed writes it."""
    return _encoder.encode(moment).decode()[1:-1]
