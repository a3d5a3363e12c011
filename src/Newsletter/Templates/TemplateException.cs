namespace Newsletter.Templates;

/// <summary>A template that does not parse or render: the message names the file, line and column.</summary>
public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);
