"""Mail ingestion: mailboxes read over IMAP whose attachments become dossier documents."""
