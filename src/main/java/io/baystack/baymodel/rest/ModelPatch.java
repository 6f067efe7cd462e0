package io.baystack.baymodel.rest;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.baystack.api.BaystackException;
import io.baystack.api.ErrorMapper;
import io.baystack.api.JsonPatch;
import io.baystack.api.PythonLiteral;
import io.baystack.baymodel.BayModelInput;

/**
 * A JSON patch applied to a model: its paths are wire names, so the model goes through its create
 * body's JSON (with the application's ObjectMapper: the same strict reading as a POST) and back.
 */
@ApplicationScoped
class ModelPatch {

    private final ObjectMapper json;

    ModelPatch(ObjectMapper json) {
        this.json = json;
    }

    /** {@code current} with {@code patch} applied; 400 for a path no model field answers to. */
    BayModelInput apply(BayModelInput current, List<JsonPatch.Op> patch) {
        ObjectNode node = json.valueToTree(BayModelCreateRequest.of(current));
        for (JsonPatch.Op op : patch) {
            String attribute = op.attribute();
            if (!node.has(attribute)) {
                throw BaystackException.invalid("Invalid attribute /" + attribute + ": it cannot be patched.");
            }
            if (op.removes()) {
                node.putNull(attribute);
            } else if (attribute.equals("labels") && op.value().isTextual()) {
                // the stock clients send labels as a Python dict literal
                node.set(attribute, json.valueToTree(PythonLiteral.dict("labels", op.value().textValue())));
            } else {
                node.set(attribute, op.value());
            }
        }
        try {
            return json.treeToValue(node, BayModelCreateRequest.class).toInput();
        } catch (UnrecognizedPropertyException e) {
            throw BaystackException.invalid("Invalid attribute /" + e.getPropertyName() + ": it cannot be patched.");
        } catch (JsonProcessingException e) {
            throw BaystackException.invalid(ErrorMapper.describe(e));
        }
    }
}
