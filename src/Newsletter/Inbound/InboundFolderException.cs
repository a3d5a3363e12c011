namespace Newsletter.Inbound;

/// <summary>
/// A folder setting the IMAP server cannot honour: the folder to read does not exist, or a folder to
/// move mail to cannot be created there. The message names the setting and the server's answer.
/// </summary>
public sealed class InboundFolderException(string message) : Exception(message);
